// Training and timing every feature set of a comparison (include/agl/compare/compare.hpp).
#include "agl/compare/compare.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <limits>
#include <sstream>

#include "agl/compare/path_costs.hpp"
#include "agl/compare/test_forces.hpp"
#include "agl/error.hpp"
#include "agl/hdnnp/force_error.hpp"
#include "agl/log.hpp"
#include "agl/select/path_report.hpp"
#include "agl/timings.hpp"
#include "agl/train/run_state.hpp"
#include "agl/train/training_data.hpp"
#include "compare_state.hpp"

namespace agl {

namespace {

std::string microseconds(double us) {
    std::ostringstream s;
    s.precision(3);
    s << us << " us/atom";
    return s.str();
}

// Set i's models trained and measured: test errors, and the test force error when the options carry the
// structures and the set has no noise column (a noise column has no function to compute in a potential).
EvaluateResult evaluateAndMeasure(const FeatureTable& table, const NnSettings& candidates, const FeatureSet& set,
                                  const EvaluateConfig& config, const CompareOptions& options) {
    EvaluateResult r = evaluateFeatureSet(subsetTable(table, set.columns), config);
    if (options.forceData && countNoise(table, set) == 0)
        measureTestForces(r, selectedSettings(candidates, table, set.columns), *options.forceData);
    return r;
}

// A set saved without its test force error (by a --no-forces run, or an agl before the force column) keeps none
// on a rerun that would measure one: the saved result holds no models to measure. Said, with what to do.
void warnWhenSavedWithoutForces(const EvaluateResult& r, const FeatureTable& table, const FeatureSet& set,
                                const std::string& path, const CompareOptions& options) {
    if (!r.testForceRmse.empty() || !options.forceData || countNoise(table, set) > 0) return;
    const auto& structures = options.forceData->structures;
    if (std::none_of(structures.begin(), structures.end(), [](const Structure& s) { return hasReferenceForces(s); }))
        return;
    logWarn("compare " + set.name + ": " + path + " was saved without the test force error (by a --no-forces " +
            "run or an older agl), so its force error shows as n/a; remove that file to train the set again and " +
            "measure it");
}

// Set i's models trained (resuming a checkpoint of an interrupted run), or loaded when a run finished them.
EvaluateResult evaluateOrLoad(const FeatureTable& table, const NnSettings& candidates, const FeatureSet& set,
                              std::size_t i, const CompareOptions& options) {
    using namespace compare_detail;
    if (options.stateDir.empty()) return evaluateAndMeasure(table, candidates, set, options.evaluate, options);
    const std::string done = setResultPath(options.stateDir, i);
    if (std::filesystem::exists(done)) {
        logInfo("compare " + set.name + ": finished earlier, loaded from " + done);
        EvaluateResult r = loadEvaluateResult(done, options.evaluate.models, set.numFeatures());
        warnWhenSavedWithoutForces(r, table, set, done, options);
        return r;
    }
    EvaluateConfig ec = options.evaluate;
    ec.checkpointPath = setCheckpointPath(options.stateDir, i);
    const EvaluateResult r = evaluateAndMeasure(table, candidates, set, ec, options);
    bool finite = true;
    for (const auto* errors : {&r.testRmse, &r.validationRmse})
        for (double e : *errors) finite = finite && std::isfinite(e);
    if (finite) saveEvaluateResult(done, r);  // else a rerun trains the set again (loading accepts finite errors)
    std::filesystem::remove(ec.checkpointPath);
    return r;
}

}  // namespace

std::vector<std::uint32_t> heldOutStructuresForCost(const FeatureTable& table, const TrainerConfig& config,
                                                    int count) {
    const DataSplit split = splitStructures(table, config.validationFraction, config.testFraction, config.splitSeed);
    std::vector<std::uint32_t> out;
    for (const auto* part : {&split.test, &split.validation})
        for (std::uint32_t s : *part)
            if (int(out.size()) < count) out.push_back(s);
    return out;
}

std::vector<const Structure*> heldOutStructuresForCost(const Dataset& data, const FeatureTable& table,
                                                       const TrainerConfig& config, int count) {
    std::vector<const Structure*> out;
    for (std::uint32_t s : heldOutStructuresForCost(table, config, count)) out.push_back(&data.structures.at(s));
    return out;
}

CompareResult compareFeatureSets(const FeatureTable& table, const NnSettings& candidates,
                                 const std::vector<FeatureSet>& sets,
                                 const std::vector<const Structure*>& costStructures, const CompareOptions& options) {
    ScopedPhase phase("compare");
    AGL_CHECK(!sets.empty(), "no feature set to compare");
    CompareResult out;
    const DataSplit split = splitStructures(table, options.evaluate.trainer.validationFraction,
                                            options.evaluate.trainer.testFraction, options.evaluate.trainer.splitSeed);
    out.trainStructures = int(split.train.size());
    out.validationStructures = int(split.validation.size());
    out.testStructures = int(split.test.size());
    out.noiseColumns = countNoise(table, allFeaturesSet(table));
    if (!options.stateDir.empty())
        claimStateDir(options.stateDir, compare_detail::compareConfigJson(table, sets, options.evaluate));

    out.hasCost = options.measureCost && !costStructures.empty();
    if (out.hasCost) {
        ScopedPhase cost("compare cost");
        for (const Structure* s : costStructures) out.costAtoms += s->numAtoms();
        out.allCost = measureEvaluationCost(candidates, costStructures, options.costMinSeconds, options.costMinRepeats);
        logInfo("compare: cost of all candidate functions " + microseconds(out.allCost.forceMicroseconds) +
                " per force evaluation (of which features with derivatives " +
                microseconds(out.allCost.featureMicroseconds) + "; one thread, " + std::to_string(out.costAtoms) +
                " atoms)");
    }

    for (std::size_t i = 0; i < sets.size(); ++i) {
        CompareRow row;
        row.set = sets[i];
        row.numFeatures = row.set.numFeatures();
        row.numAngular = countAngular(table, row.set);
        row.numNoise = countNoise(table, row.set);
        // A settings file cannot name noise columns: what the selection kept is only known from its report.
        if (row.set.fromSettings && out.noiseColumns > 0) row.numNoise = row.set.reportedNoise;
        for (std::size_t e = 0; e < table.elements.size(); ++e)
            if (row.set.columns[e].empty() && table.elements[e].numAtoms() > 0)
                throw Error("feature set '" + row.set.name + "' has no column for an element of the data");
        logInfo("compare [" + std::to_string(i + 1) + "/" + std::to_string(sets.size()) + "] " + row.set.name + ": " +
                std::to_string(row.numFeatures) + " features (" + std::to_string(row.numAngular) + " angular), " +
                std::to_string(options.evaluate.models) + " models");
        row.result = evaluateOrLoad(table, candidates, row.set, i, options);
        row.costRatio = std::numeric_limits<double>::quiet_NaN();
        if (out.hasCost) {
            ScopedPhase cost("compare cost");
            if (const auto c = costOfSelection(candidates, table, row.set.columns, costStructures, out.allCost,
                                               options.costMinSeconds, options.costMinRepeats)) {
                row.cost = *c;
                row.hasCost = true;
                row.costRatio = row.cost.forceMicroseconds / out.allCost.forceMicroseconds;
            }
        }
        std::ostringstream msg;
        msg.precision(4);
        msg << "compare " << row.set.name << ": test RMSE " << row.result.mean << " +- " << row.result.std;
        if (row.hasCost) msg << ", cost " << row.cost.forceMicroseconds << " us/atom (x" << row.costRatio << ")";
        logInfo(msg.str());
        out.rows.push_back(std::move(row));
    }
    return out;
}

}  // namespace agl
