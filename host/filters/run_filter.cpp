// One filter run on one element's feature matrix: statistics → preprocessing → Gram or dense residual →
// the chosen method. Phases are timed (--timings) and constant columns reported.
#include <algorithm>

#include "agl/error.hpp"
#include "agl/filters.hpp"
#include "agl/log.hpp"
#include "agl/timings.hpp"

namespace agl::filters {

FilterRun runFilter(const double* X, std::size_t rows, std::size_t cols, const FilterOptions& o) {
    if (o.n <= 0) throw Error("filter: the number of picks must be positive");
    if (cols == 0) throw Error("filter: the feature matrix has no columns");
    FilterRun run;
    ColumnStats stats;
    {
        ScopedPhase phase("filter column statistics");
        stats = columnStats(X, rows, cols);
    }
    for (std::size_t j = 0; j < cols; ++j)
        if (stats.constant[j]) run.constantColumns.push_back(static_cast<int>(j));
    if (!run.constantColumns.empty())
        logWarn("filter: " + std::to_string(run.constantColumns.size()) + " of " + std::to_string(cols) +
                " columns are constant over " + std::to_string(rows) + " rows (they carry no information)");
    int n = o.n;
    if (static_cast<std::size_t>(n) > cols) {
        logWarn("filter: " + std::to_string(n) + " picks requested but only " + std::to_string(cols) +
                " columns exist; selecting at most " + std::to_string(cols));
        n = static_cast<int>(cols);
    }
    run.rowsUsed = rows;

    switch (o.method) {
        case Method::Fps: {
            const ColumnTransform t = columnTransform(stats, o.preprocess);
            std::vector<double> C;
            {
                ScopedPhase phase("filter Gram matrix");
                C = gramMatrix(X, rows, cols, t);
            }
            ScopedPhase phase("filter FPS");
            run.selection = selectFps(C, cols, n, o.start < 0 ? 0 : o.start);
            break;
        }
        case Method::Pc: {
            // Pearson ρ does not change when a column is shifted or scaled: always centre, whatever o.preprocess.
            const ColumnTransform t = columnTransform(stats, Preprocess::Center);
            std::vector<double> Cc;
            {
                ScopedPhase phase("filter Gram matrix");
                Cc = gramMatrix(X, rows, cols, t);
            }
            ScopedPhase phase("filter PC");
            PcOptions po;
            po.start = o.start;
            po.signedCorrelation = o.signedPc;
            run.selection = selectPc(Cc, cols, n, po);
            break;
        }
        case Method::Cur: {
            const ColumnTransform t = columnTransform(stats, o.preprocess);  // statistics of ALL rows
            std::vector<std::size_t> subset;
            const bool sampled = o.maxRows > 0 && o.maxRows < rows;
            if (sampled) {
                subset = sampleRows(rows, o.maxRows, o.seed);
                run.rowsUsed = subset.size();
                logInfo("CUR: using a random subset of " + std::to_string(subset.size()) + " of " +
                        std::to_string(rows) + " rows (seed " + std::to_string(o.seed) + ")");
            }
            CurSolver solver = o.curSolver;
            if (solver == CurSolver::Auto) solver = run.rowsUsed <= o.svdMaxRows ? CurSolver::Svd : CurSolver::Gram;
            run.curSolverUsed = solver;
            CurOptions co;
            co.k = o.k;
            co.iterative = o.iterative;
            const std::vector<std::size_t>* rowsIn = sampled ? &subset : nullptr;
            if (solver == CurSolver::Svd) {
                std::vector<double> R;
                {
                    ScopedPhase phase("filter dense matrix");
                    R = preprocessedColumns(X, rows, cols, t, rowsIn);
                }
                ScopedPhase phase("filter CUR (SVD)");
                run.selection = selectCurSvd(std::move(R), run.rowsUsed, cols, n, co);
            } else {
                std::vector<double> G;
                {
                    ScopedPhase phase("filter Gram matrix");
                    G = gramMatrix(X, rows, cols, t, rowsIn);
                }
                ScopedPhase phase("filter CUR (Gram)");
                run.selection = selectCurGram(std::move(G), cols, n, co);
            }
            break;
        }
    }
    return run;
}

}  // namespace agl::filters
