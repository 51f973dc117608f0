// Unsupervised filter baselines that rank the symmetry functions of one element without seeing energies:
// CUR (Mahoney & Drineas; as scikit-matter's feature_selection.CUR), farthest point sampling (FPS) and greedy
// min–max Pearson correlation (PC), after Imbalzano et al., J. Chem. Phys. 148, 241730 (2018).
// Algorithms and reference answers: ../shared/reference/filters.md. Everything is double precision.
//
// Input X is one element's feature matrix, (numAtoms × numFunctions) row-major as ElementFeatures::values:
// rows = atoms (samples), columns = symmetry functions (the things selected).
//
// Preprocessing (applied to the columns before any method; it changes CUR and FPS picks):
//   none   — X as given (raw G).
//   center — subtract each column's mean.
//   zscore — subtract the mean and divide by the SAMPLE std (n − 1), as the paper's training pipeline scales.
//   Constant columns (max == min, exactly) carry no information: center and zscore set them to exactly 0
//   (zscore never divides by a zero std); none leaves them as they are. PC never picks a constant column.
//   PC depends only on Pearson ρ, which is invariant to shifting and scaling a column, so its picks are the
//   same for every preprocessing.
//
// Large data: FPS and PC need only the d × d Gram matrix C = X̃ᵀX̃ of the preprocessed columns, accumulated
// in blocks of rows (memory d² + a block). CUR has two solvers:
//   Svd  — SVD of the residual R itself (LAPACKE_dgesvd, right vectors only); most accurate; needs R dense
//          (numRows × d) once: a tall R is first reduced to the d × d factor T of its QR (R = QT; every
//          deflation acts inside range(Q), so the loop on T gives the same π and norms); optionally on a
//          seeded random subset of rows (FilterOptions::maxRows).
//   Gram — eigenvectors of RᵀR (LAPACKE_dsyevd), deflated on the Gram matrix: RᵀR ← RᵀR − g gᵀ / g_j with
//          g = RᵀR e_j, which is algebraically the same deflation as on R. Squaring the matrix squares its
//          condition number, so tiny residuals (‖R‖² below ~1e-12 ‖X‖²) are not resolved: fine for
//          selection, not for reproducing the last digits of near-degenerate steps.
//
// Rank exhaustion: CUR stops when ‖R‖_F² ≤ rankTolerance · ‖X̃‖_F² (1e-20 for Svd, 1e-12 for Gram: each
// solver's resolution, so Gram may stop earlier on badly scaled data); PC never picks a column that lies in the
// span of its picks (relative squared residual ≤ rankTolerance; correlation alone cannot see dependence on
// several picks) and stops when no other candidate is left; FPS stops when every unpicked column coincides
// with a pick (h ≤ rankTolerance · max_j C_jj). Each logs a warning and returns fewer picks; no method ever
// picks an index twice.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace agl::filters {

enum class Preprocess { None, Center, ZScore };
enum class Method { Cur, Fps, Pc };
enum class CurSolver { Auto, Svd, Gram };

Preprocess parsePreprocess(const std::string& text);  // "none" | "center" | "zscore"; throws agl::Error
Method parseMethod(const std::string& text);          // "cur" | "fps" | "pc"
CurSolver parseCurSolver(const std::string& text);    // "auto" | "svd" | "gram"
std::string toString(Preprocess p);
std::string toString(Method m);
std::string toString(CurSolver s);

// ---- preprocessing -------------------------------------------------------------------------------------

struct ColumnStats {
    std::size_t rows = 0;
    std::vector<double> mean;     // (d)
    std::vector<double> stddev;   // (d) sample std (n − 1); 0 when rows < 2
    std::vector<char> constant;   // (d) 1 when max == min over all rows (or rows == 0)
    std::size_t numConstant() const;
};

// One pass over X (rows × cols) row-major. Means by a two-pass-accurate update (Welford).
ColumnStats columnStats(const double* X, std::size_t rows, std::size_t cols);

// The preprocessed value of column j: (x − shift[j]) · factor[j]; constant columns get factor 0 under
// center/zscore so they become exactly 0.
struct ColumnTransform {
    std::vector<double> shift, factor;  // (d)
};
ColumnTransform columnTransform(const ColumnStats& stats, Preprocess p);

// C = X̃ᵀX̃, (cols × cols) symmetric, both triangles filled; rows taken in blocks (cblas_dsyrk).
// `rowSubset` (optional) restricts the sum to those rows.
std::vector<double> gramMatrix(const double* X, std::size_t rows, std::size_t cols, const ColumnTransform& t,
                               const std::vector<std::size_t>* rowSubset = nullptr);

// X̃ as a dense (numRows × cols) COLUMN-major matrix (the layout LAPACK wants), optionally only `rowSubset`.
std::vector<double> preprocessedColumns(const double* X, std::size_t rows, std::size_t cols,
                                        const ColumnTransform& t,
                                        const std::vector<std::size_t>* rowSubset = nullptr);

// `count` distinct row indices out of `rows`, ascending, drawn with std::mt19937_64(seed) (partial
// Fisher–Yates). count >= rows returns all rows.
std::vector<std::size_t> sampleRows(std::size_t rows, std::size_t count, std::uint64_t seed);

// ---- selections ----------------------------------------------------------------------------------------

// The result of one filter run; picks are 0-based column indices in pick order.
struct Selection {
    std::vector<int> picks;
    // Per pick. CUR: π_j* (leverage score of the pick on the current residual). FPS: h_j* = squared distance
    // to the nearest earlier pick (+∞ for the first). PC: max_{s earlier} |ρ_j*s| (signed ρ for the signed
    // variant), NaN for the first pick.
    std::vector<double> scores;
    std::vector<double> residualNorm2;  // CUR iterative: ‖R‖_F² after each deflation; empty otherwise
    std::string stopReason;             // why fewer than the requested picks were made ("" when all were)
};

struct CurOptions {
    int k = 1;                   // number of right singular vectors in π
    bool iterative = true;       // false: one-shot, π computed once on X and sorted
    double rankTolerance = 0.0;  // relative ‖R‖_F² at which to stop; <= 0: the solver's resolution
                                 // (Svd 1e-20, Gram 1e-12)
};

// R: (rows × cols) column-major, consumed (deflated in place). n picks at most.
Selection selectCurSvd(std::vector<double> R, std::size_t rows, std::size_t cols, int n, const CurOptions& o);
// G: (cols × cols) Gram matrix RᵀR, consumed.
Selection selectCurGram(std::vector<double> G, std::size_t cols, int n, const CurOptions& o);

// C: (cols × cols) Gram matrix of the preprocessed columns. start in [0, cols).
Selection selectFps(const std::vector<double>& C, std::size_t cols, int n, int start = 0,
                    double rankTolerance = 1e-12);

struct PcOptions {
    int start = -1;              // −1: argmin_j max_{i≠j} |ρ_ij| (signed ρ for the signed variant)
    bool signedCorrelation = false;  // min–max signed ρ (= FPS on centred unit-norm columns), for reference
    double rankTolerance = 1e-12;
};
// Cc: (cols × cols) Gram matrix of the CENTRED columns (ρ_ij = Cc_ij / sqrt(Cc_ii Cc_jj)).
Selection selectPc(const std::vector<double>& Cc, std::size_t cols, int n, const PcOptions& o);

// ---- one call from a feature matrix --------------------------------------------------------------------

struct FilterOptions {
    Method method = Method::Cur;
    int n = 0;                         // picks wanted (capped at the number of columns)
    Preprocess preprocess = Preprocess::ZScore;
    int start = -1;                    // FPS (−1 → 0) and PC (−1 → the documented default)
    int k = 1;                         // CUR
    bool iterative = true;             // CUR
    CurSolver curSolver = CurSolver::Auto;  // Auto: Svd when the dense matrix has <= svdMaxRows rows
    std::size_t svdMaxRows = 1000000;      // (the dense copy costs rows × cols doubles)
    std::size_t maxRows = 0;           // CUR: use a seeded random subset of this many rows (0 = all)
    std::uint64_t seed = 1;
    bool signedPc = false;
};

// What was actually run, for the output files.
struct FilterRun {
    Selection selection;
    CurSolver curSolverUsed = CurSolver::Auto;  // Svd or Gram for CUR
    std::size_t rowsUsed = 0;                   // rows entering the selection (after sampling)
    std::vector<int> constantColumns;           // 0-based
};

// X: (rows × cols) row-major.
FilterRun runFilter(const double* X, std::size_t rows, std::size_t cols, const FilterOptions& o);

}  // namespace agl::filters
