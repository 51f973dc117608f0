// Cutoff functions fc(r) of n2p2 (`cutoff_type <n> <alpha>`), shared by the CPU engine and the CUDA kernels.
//
// API (T = float or double; everything AGL_HD, no allocation, no exceptions):
//   Cutoff<T> c = makeCutoff<T>(CutoffType type, T rc, T alpha);   // once per (type, α, rc)
//   T f = c.value(r);                                               // fc(r)
//   c.valueAndDerivative(r, f, df);                                 // fc(r) and dfc/dr
// Both return exactly 0 (and df = 0) for r >= rc, and 1 (df = 0) for r <= α·rc (except the tanh types,
// which ignore α as n2p2 does). r and rc in length, df in 1/length.
//
//   x = (r − α·rc)/(rc − α·rc)
//   0 hard   1                         1 cos    ½(cos πx + 1)
//   2 tanhu  tanh³(1 − r/rc)           3 tanh   coth³(1) · tanh³(1 − r/rc)
//   4 exp    exp(1 − 1/(1 − x²))       5 poly1  (2x − 3)x² + 1
//   6 poly2  ((15 − 6x)x − 10)x³ + 1   7 poly3  (x(x(20x − 70) + 84) − 35)x⁴ + 1
//   8 poly4  (x(x((315 − 70x)x − 540) + 420) − 126)x⁵ + 1
// Source: ../shared/reference/n2p2-conventions.md §1. Checked through the features against finite differences
// and the brute force for every type (tests/features/derivatives_test.cpp, engine_vs_brute_force_test.cpp).
#pragma once
#include <cmath>

#include "agl/symmetry_function.hpp"  // CutoffType
#include "agl/vec3.hpp"               // AGL_HD

namespace agl {

// fc and dfc/dx of the polynomial types (5–8) at x in (0, 1), Horner form as n2p2 writes them.
AGL_HD void polynomialCutoff(CutoffType type, double x, double& f, double& dfdx) {
    const double x2 = x * x;
    switch (type) {
        case CutoffType::Poly1:
            f = (2.0 * x - 3.0) * x * x + 1.0;
            dfdx = 6.0 * x * (x - 1.0);
            return;
        case CutoffType::Poly2:
            f = ((15.0 - 6.0 * x) * x - 10.0) * x * x * x + 1.0;
            dfdx = x * x * (x * (60.0 - 30.0 * x) - 30.0);
            return;
        case CutoffType::Poly3:
            f = (x * (x * (20.0 * x - 70.0) + 84.0) - 35.0) * x2 * x2 + 1.0;
            dfdx = x2 * x * (x * (x * (140.0 * x - 420.0) + 420.0) - 140.0);
            return;
        default:  // Poly4
            f = (x * (x * ((315.0 - 70.0 * x) * x - 540.0) + 420.0) - 126.0) * x2 * x2 * x + 1.0;
            dfdx = x2 * x2 * (x * (x * (x * (2520.0 - 630.0 * x) - 3780.0) + 2520.0) - 630.0);
            return;
    }
}

template <typename T>
struct Cutoff {
    CutoffType type;
    T rc;        // outer cutoff radius (length)
    T rcInner;   // α·rc (length)
    T invWidth;  // 1/(rc − α·rc) (1/length)

    AGL_HD T value(T r) const {
        T f, df;
        evaluate(r, f, df, false);
        return f;
    }
    AGL_HD void valueAndDerivative(T r, T& f, T& df) const { evaluate(r, f, df, true); }

private:
    AGL_HD void evaluate(T r, T& f, T& df, bool wantDerivative) const {
        f = T(0);
        df = T(0);
        if (r >= rc) return;
        if (type == CutoffType::TanhU || type == CutoffType::Tanh) {
            const T t = std::tanh(T(1) - r / rc);
            // coth³(1) normalises fc(0) to 1 for type 3.
            const T norm = type == CutoffType::Tanh ? T(2.2637537952253513) : T(1);  // coth(1)^3
            f = norm * t * t * t;
            if (wantDerivative) df = -norm * T(3) * t * t * (T(1) - t * t) / rc;
            return;
        }
        if (r <= rcInner) {
            f = T(1);
            return;
        }
        const T x = (r - rcInner) * invWidth;
        T dfdx = T(0);
        switch (type) {
            case CutoffType::Hard: f = T(1); break;
            case CutoffType::Cos: {
                const T pi = T(3.14159265358979323846);
                f = T(0.5) * (std::cos(pi * x) + T(1));
                dfdx = T(-0.5) * pi * std::sin(pi * x);
                break;
            }
            case CutoffType::Exp: {
                // Guard: at x = 1, q = ∞ and the derivative would be ∞·0 = NaN; r < rc should keep x below 1,
                // but x is rounded (no case found in a search of fp32 rc 1–20, α 0 and 0.3).
                if (x >= T(1)) return;
                const T q = T(1) / (T(1) - x * x);
                f = std::exp(T(1) - q);
                dfdx = -T(2) * x * q * q * f;
                break;
            }
            case CutoffType::Poly1:
            case CutoffType::Poly2:
            case CutoffType::Poly3:
            case CutoffType::Poly4: {
                // In double whatever T: the terms (up to 540·x⁵) cancel to a value ≤ 1, so in float the error
                // would be ~500 float steps (5e-5 in Poly4's fc). For T = double the same operations as before.
                double fd, dfdxd;
                polynomialCutoff(type, double(x), fd, dfdxd);
                f = T(fd);
                df = T(dfdxd * double(invWidth));
                return;
            }
            default: break;  // TanhU/Tanh handled above
        }
        df = dfdx * invWidth;
    }
};

template <typename T>
AGL_HD Cutoff<T> makeCutoff(CutoffType type, T rc, T alpha) {
    Cutoff<T> c;
    c.type = type;
    c.rc = rc;
    c.rcInner = alpha * rc;
    c.invWidth = T(1) / (rc - alpha * rc);
    return c;
}

}  // namespace agl
