// Cross-check against LAMMPS (`lmp` or `lmp_serial` on PATH, or $AGL_LAMMPS; Debian package `lammps`):
// the same 256-atom configuration and velocities, `pair_style lj/cut 2.8` + `pair_modify shift no`, then
// 200 steps of `fix nvt temp T T 0.1` (chain 3). Energies, forces, final positions and velocities and the
// thermostat energy (f_1) must agree. Skipped when no LAMMPS binary is found.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <unistd.h>  // getpid: per-process temporary folders

#include "agl/md/integrator.hpp"
#include "agl/md/lennard_jones.hpp"
#include "md/lj_reference.hpp"

using namespace agl;
using namespace agl::md;
namespace fs = std::filesystem;

namespace {

std::string findLammps() {
    if (const char* env = std::getenv("AGL_LAMMPS")) return env;
    const char* path = std::getenv("PATH");
    if (!path) return "";
    std::stringstream dirs(path);
    std::string dir;
    while (std::getline(dirs, dir, ':'))
        for (const char* name : {"lmp_serial", "lmp"}) {
            fs::path p = fs::path(dir) / name;
            if (fs::exists(p)) return p.string();
        }
    return "";
}

struct LammpsAtoms {
    std::vector<Vec3d> x, v, f;  // sorted by id
};

LammpsAtoms readDump(const std::string& path, std::size_t n) {
    std::ifstream in(path);
    std::string line;
    while (std::getline(in, line) && line.rfind("ITEM: ATOMS", 0) != 0) {}
    LammpsAtoms a;
    a.x.resize(n), a.v.resize(n), a.f.resize(n);
    for (std::size_t k = 0; k < n && std::getline(in, line); ++k) {
        std::istringstream ls(line);
        std::size_t id;
        ls >> id;
        Vec3d x, v, f;
        ls >> x.x >> x.y >> x.z >> v.x >> v.y >> v.z >> f.x >> f.y >> f.z;
        a.x.at(id - 1) = x, a.v.at(id - 1) = v, a.f.at(id - 1) = f;
    }
    return a;
}

double printed(const std::string& log, const std::string& key) {
    std::istringstream in(log);
    std::string line;
    while (std::getline(in, line))
        if (line.rfind(key + " ", 0) == 0) return std::stod(line.substr(key.size() + 1));
    ADD_FAILURE() << key << " not found in the LAMMPS output";
    return NAN;
}

std::string readAll(const std::string& path) {
    std::ifstream in(path);
    std::ostringstream os;
    os << in.rdbuf();
    return os.str();
}

// Differences of positions modulo the box (LAMMPS wraps, we do not).
double maxWrappedDiff(const std::vector<Vec3d>& a, const std::vector<Vec3d>& b, double L) {
    double m = 0;
    for (std::size_t i = 0; i < a.size(); ++i) {
        Vec3d d = a[i] - b[i];
        for (int k = 0; k < 3; ++k) d[k] -= L * std::round(d[k] / L);
        m = std::max(m, norm(d));
    }
    return m;
}

}  // namespace

TEST(Lammps, SameEnergiesForcesAndNvtTrajectory) {
    const std::string lmp = findLammps();
    if (lmp.empty()) GTEST_SKIP() << "no lmp/lmp_serial on PATH (Debian package lammps) and no $AGL_LAMMPS";

    const double T = 1.2, dt = 0.002, tdamp = 0.1;
    const long steps = 200;
    MdSystem s;
    s.atoms = mdtest::perturbedFcc(4, 0.95, 0.15, 77);
    wrapPositions(s.atoms);
    initVelocities(s, T, 9);
    const double L = s.atoms.cell[0].x;
    const std::size_t n = s.numAtoms();

    fs::path dir = fs::temp_directory_path() / ("agl_md_lammps_" + std::to_string(::getpid()));
    fs::create_directories(dir);
    {
        std::ofstream data(dir / "in.data");
        data.precision(17);
        data << "agl md test\n\n" << n << " atoms\n1 atom types\n\n0 " << L << " xlo xhi\n0 " << L
             << " ylo yhi\n0 " << L << " zlo zhi\n\nMasses\n\n1 1.0\n\nAtoms # atomic\n\n";
        for (std::size_t i = 0; i < n; ++i) {
            const Vec3d& r = s.atoms.positions[i];
            data << i + 1 << " 1 " << r.x << " " << r.y << " " << r.z << "\n";
        }
        data << "\nVelocities\n\n";
        for (std::size_t i = 0; i < n; ++i) {
            const Vec3d& v = s.velocities[i];
            data << i + 1 << " " << v.x << " " << v.y << " " << v.z << "\n";
        }
        std::ofstream in(dir / "in.lmp");
        in << "units lj\natom_style atomic\nboundary p p p\nread_data in.data\n"
              "pair_style lj/cut 2.8\npair_coeff 1 1 1.0 1.0 2.8\npair_modify shift no\n"
              "neighbor 0.3 bin\nneigh_modify every 1 delay 0 check yes\n"
              "thermo_modify norm no\ntimestep "
           << dt << "\n"
           << "run 0\nprint \"AGL_PE0 $(pe:%.17g)\"\n"
              "write_dump all custom start.dump id x y z vx vy vz fx fy fz modify sort id format float %.17g\n"
              "fix 1 all nvt temp "
           << T << " " << T << " " << tdamp << "\nrun " << steps << "\n"
           << "print \"AGL_PE $(pe:%.17g)\"\nprint \"AGL_KE $(ke:%.17g)\"\nprint \"AGL_NHC $(f_1:%.17g)\"\n"
              "write_dump all custom end.dump id x y z vx vy vz fx fy fz modify sort id format float %.17g\n";
    }
    const std::string cmd = "cd '" + dir.string() + "' && OMP_NUM_THREADS=1 '" + lmp +
                            "' -in in.lmp -log log.lammps -screen none > stdout.txt 2>&1";
    ASSERT_EQ(std::system(cmd.c_str()), 0) << "LAMMPS failed, see " << (dir / "log.lammps");
    const std::string log = readAll((dir / "log.lammps").string());

    LennardJones lj;
    VelocityVerlet md(lj, dt, NoseHooverChain(T, tdamp, degreesOfFreedom(s), 3));
    md.setup(s);
    LammpsAtoms start = readDump((dir / "start.dump").string(), n);
    EXPECT_NEAR(s.potentialEnergy, printed(log, "AGL_PE0"), 1e-11 * std::abs(s.potentialEnergy));
    EXPECT_LE(mdtest::maxDiff(s.forces, start.f), 1e-10 * mdtest::maxNorm(s.forces));

    md.run(s, steps);
    LammpsAtoms end = readDump((dir / "end.dump").string(), n);
    std::printf("after %ld NVT steps: max |dx| %.3g, max |dv| %.3g, NHC energy %.17g (LAMMPS %.17g)\n", steps,
                maxWrappedDiff(s.atoms.positions, end.x, L), mdtest::maxDiff(s.velocities, end.v),
                md.thermostat()->energy(), printed(log, "AGL_NHC"));
    // 0.4 τ of chaotic dynamics amplify rounding differences; 1e-8 is still far below any modelling error
    // (a different thermostat mass or splitting gives differences of 1e-4 and more).
    EXPECT_LE(maxWrappedDiff(s.atoms.positions, end.x, L), 1e-8);
    EXPECT_LE(mdtest::maxDiff(s.velocities, end.v), 1e-8);
    EXPECT_LE(mdtest::maxDiff(s.forces, end.f), 1e-7);
    EXPECT_NEAR(s.potentialEnergy, printed(log, "AGL_PE"), 1e-9 * std::abs(s.potentialEnergy));
    EXPECT_NEAR(kineticEnergy(s), printed(log, "AGL_KE"), 1e-9 * kineticEnergy(s));
    EXPECT_NEAR(md.thermostat()->energy(), printed(log, "AGL_NHC"), 1e-8 * kineticEnergy(s));
    fs::remove_all(dir);
}
