// The AGL path on a synthetic ground truth: energies that read only features 0, 1, 2 of 12 (3 decoys
// correlated with them, 6 of pure noise). The path must hold a λ where AGL keeps exactly {0, 1, 2}, and there
// plain GL must keep extras or lose one (the reason for the adaptive step).
#include <gtest/gtest.h>

#include <cstdio>
#include <set>

#include "agl/select/lambda_path.hpp"
#include "agl/select/selection_path.hpp"
#include "ground_truth.hpp"

namespace agl {
namespace {

using testing::fastSelectConfig;
using testing::groundTruthTable;

std::vector<int> kept(const std::vector<ElementArch>& archs, const std::vector<double>& norms) {
    return selectedColumns(archs, norms)[0];
}

std::string show(const std::vector<int>& v) {
    std::string s;
    for (int j : v) s += std::to_string(j) + " ";
    return s;
}

TEST(SelectGroundTruth, AglRecoversTheThreeInformativeFeatures) {
    const FeatureTable t = groundTruthTable();
    const SelectConfig c = fastSelectConfig();
    LambdaPathOptions o;
    o.count = 8;
    o.ratio = 1e-2;
    const auto seeds = pathSeeds(11, o.count);
    const auto lambdas = resolveLambdaPath(t, c.trainer, seeds, o);
    const SelectionPath sp = runSelectionPath(t, c, lambdas, seeds);
    ASSERT_EQ(sp.completedStage, "refit");
    const std::vector<int> truth{0, 1, 2};
    int found = -1;
    for (std::size_t k = 0; k < sp.points.size(); ++k) {
        const PathPoint& p = sp.points[k];
        std::printf("lambda %.4g  GL {%s} AGL {%s}  rmse gl %.4g agl %.4g refit %.4g  epochs %d %d %d\n", p.lambda,
                    show(kept(sp.archs, p.gl.groupNorms)).c_str(), show(p.selected[0]).c_str(), p.gl.validationRmse,
                    p.agl.validationRmse, p.refit.validationRmse, p.gl.epochs, p.agl.epochs, p.refit.epochs);
        if (p.selected[0] == truth && found < 0) found = int(k);
    }
    ASSERT_GE(found, 0) << "no λ of the path selects exactly {0, 1, 2}";
    EXPECT_NE(kept(sp.archs, sp.points[std::size_t(found)].gl.groupNorms), truth)
        << "plain GL already found the truth at that λ: the data do not exercise the adaptive step";
}

}  // namespace
}  // namespace agl
