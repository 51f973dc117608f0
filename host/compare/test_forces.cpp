// The test force error of trained models (agl/compare/test_forces.hpp).
#include "agl/compare/test_forces.hpp"

#include <string>

#include "agl/error.hpp"
#include "agl/hdnnp/force_error.hpp"
#include "agl/log.hpp"
#include "agl/timings.hpp"

namespace agl {

void measureTestForces(EvaluateResult& r, const NnSettings& settings, const Dataset& data) {
    ScopedPhase phase("test forces");
    std::vector<const Structure*> test;
    for (const std::uint32_t s : r.testStructures) {
        AGL_CHECK(s < data.structures.size(), "test structure outside the data set");
        test.push_back(&data.structures[s]);
    }
    std::vector<double> rmse;
    double referenceRms = -1.0;
    try {
        for (const Potential& model : r.models) {
            const ForceError error = forceError(settings, model, test);
            if (error.rmse() < 0.0) return;  // no reference forces
            rmse.push_back(error.rmse());
            referenceRms = error.referenceRms();
        }
    } catch (const Error& e) {  // an extra measure must not lose the trained set: said, and left out
        logWarn(std::string("test force error not measured: ") + e.what());
        return;
    }
    r.testForceRmse = std::move(rmse);
    r.referenceForceRms = referenceRms;
}

}  // namespace agl
