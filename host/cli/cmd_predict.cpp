// agl predict: energies of a data set from a trained potential (DIR/input.nn, scaling.data, weights.NNN.data,
// n2p2 layout), plus n2p2's atom_energy offsets; the per-atom energy RMSE when the data has reference energies.
#include <cmath>
#include <cstdio>
#include <iostream>

#include "agl/atomic_file.hpp"
#include "agl/element.hpp"
#include "agl/error.hpp"
#include "agl/hdnnp/force_error.hpp"
#include "agl/hdnnp/hdnnp.hpp"
#include "agl/io.hpp"
#include "agl/log.hpp"
#include "agl/timings.hpp"
#include "agl/train/potential.hpp"
#include "command.hpp"
#include "data_source.hpp"
#include "train_common.hpp"

namespace agl::cli {
namespace {

// "out.csv" → "out_atoms.csv"
std::string atomsPath(const std::string& path) {
    const auto dot = path.rfind('.');
    const auto slash = path.rfind('/');
    const bool hasExt = dot != std::string::npos && (slash == std::string::npos || dot > slash);
    return (hasExt ? path.substr(0, dot) : path) + "_atoms.csv";
}

void writeStructureCsv(std::ostream& out, const FeatureTable& table, const std::vector<double>& energies,
                       bool haveReference) {
    out << "structure,num_atoms,reference_energy,predicted_energy,error_per_atom\n";
    char line[160];
    for (std::size_t s = 0; s < energies.size(); ++s) {
        const double n = table.numAtoms[s];
        if (haveReference)
            std::snprintf(line, sizeof line, "%zu,%u,%.12g,%.12g,%.10g\n", s, table.numAtoms[s], table.energies[s],
                          energies[s], (energies[s] - table.energies[s]) / n);
        else
            std::snprintf(line, sizeof line, "%zu,%u,,%.12g,\n", s, table.numAtoms[s], energies[s]);
        out << line;
    }
}

void writeAtomCsv(std::ostream& out, const FeatureTable& table, const std::vector<std::vector<double>>& atomic,
                  const NnSettings& settings) {
    out << "structure,atom,element,atomic_energy\n";
    char line[128];
    for (std::size_t e = 0; e < table.elements.size(); ++e) {
        const ElementFeatures& el = table.elements[e];
        const auto it = settings.atomEnergy.find(el.element);
        const double offset = it == settings.atomEnergy.end() ? 0.0 : it->second;
        for (std::size_t r = 0; r < el.numAtoms(); ++r) {
            std::snprintf(line, sizeof line, "%u,%u,%s,%.12g\n", el.structure[r], el.atom[r],
                          elementSymbol(el.element).c_str(), atomic[e][r] + offset);
            out << line;
        }
    }
}

// Forces of every structure of the file (F = −∂E/∂r through the symmetry-function derivatives) to `out`
// as CSV; returns the force RMSE per component against the file's forces, or −1 when it has none.
double writeForcesCsv(const DataSource& source, const NnSettings& settings, const Potential& potential,
                      std::ostream& out) {
    ScopedPhase phase("forces");
    Hdnnp hdnnp(settings, potential);
    out << "structure,atom,element,fx,fy,fz,reference_fx,reference_fy,reference_fz\n";
    std::size_t index = 0;
    ForceError error;
    std::vector<Vec3d> forces;
    char line[256];
    forEachStructure(source, [&](Structure&& s) {
        hdnnp.energyAndForces(s, forces);
        error.add(forces, s.forces);
        for (std::size_t i = 0; i < s.numAtoms(); ++i) {
            const Vec3d ref = i < s.forces.size() ? s.forces[i] : Vec3d{0, 0, 0};
            std::snprintf(line, sizeof line, "%zu,%zu,%s,%.12g,%.12g,%.12g,%.12g,%.12g,%.12g\n", index, i,
                          elementSymbol(s.elements[i]).c_str(), forces[i].x, forces[i].y, forces[i].z, ref.x, ref.y,
                          ref.z);
            out << line;
        }
        ++index;
        return true;
    });
    return error.rmse();
}

}  // namespace

int runPredict(int argc, char** argv) {
    cxxopts::Options options(argv[0],
                             "Energies of a data set from a trained potential (n2p2 files: input.nn, scaling.data, "
                             "weights.NNN.data), including input.nn's atom_energy offsets; with --forces also the "
                             "forces (CPU).");
    addCommonOptions(options);
    addDataOptions(options);
    addDeviceOptions(options);
    options.add_options()
        ("potential", "potential directory (e.g. agl train's DIR/potential)", cxxopts::value<std::string>())
        ("data", "structures (n2p2 input.data or extended XYZ)", cxxopts::value<std::string>())
        ("out", "CSV of structure energies (default: standard output)", cxxopts::value<std::string>())
        ("per-atom", "also write the atomic energies (to OUT_atoms.csv; needs --out)")
        ("forces", "also write the forces of every atom (CSV) to this file, and their RMSE against the data's",
         cxxopts::value<std::string>())
        ("force", "overwrite existing output files");
    cxxopts::ParseResult args;
    if (!parseCommon(options, argc, argv, args)) return 0;
    for (const char* required : {"potential", "data"})
        if (!args.count(required)) throw UsageError("command line", std::string("--") + required + " is required");
    const bool perAtom = args.count("per-atom") > 0, force = args.count("force") > 0;
    if (perAtom && !args.count("out")) throw UsageError("command line", "--per-atom needs --out");
    const std::string dir = args["potential"].as<std::string>();

    PotentialFiles files;
    {
        ScopedPhase phase("read potential");
        files = readPotentialFiles(dir);  // refuses scalings and normalisations agl would get wrong
    }
    const NnSettings& settings = files.settings;
    const Potential& potential = files.potential;
    const FeatureTable table = featuresOfFile(dataSource(args, args["data"].as<std::string>()), settings, deviceOptions(args));
    std::vector<double> energies;
    {
        ScopedPhase phase("predict");
        energies = potential.predict(table);
        const std::vector<double> offsets = atomEnergyOffsets(table, settings);
        for (std::size_t s = 0; s < energies.size(); ++s) energies[s] += offsets[s];
    }
    // Reference energies are taken as present unless every structure has energy 0 (the reader's default).
    bool haveReference = false;
    for (double e : table.energies) haveReference = haveReference || e != 0.0;
    if (args.count("out")) {
        const std::string path = args["out"].as<std::string>();
        AtomicFile f(path, force);
        writeStructureCsv(f.stream(), table, energies, haveReference);
        f.commit();
        if (perAtom) {
            AtomicFile a(atomsPath(path), force);
            writeAtomCsv(a.stream(), table, potential.atomicEnergies(table), settings);
            a.commit();
        }
        logInfo("wrote " + path + (perAtom ? " and " + atomsPath(path) : ""));
    } else {
        writeStructureCsv(std::cout, table, energies, haveReference);
    }
    if (args.count("forces")) {
        const std::string path = args["forces"].as<std::string>();
        AtomicFile f(path, force);
        const double rmse = writeForcesCsv(dataSource(args, args["data"].as<std::string>()), settings, potential, f.stream());
        f.commit();
        char line[160];
        if (rmse >= 0.0) std::snprintf(line, sizeof line, "wrote %s; force RMSE per component: %.6g", path.c_str(), rmse);
        else std::snprintf(line, sizeof line, "wrote %s (the data has no reference forces)", path.c_str());
        logInfo(line);
    }
    if (haveReference) {
        double sum = 0.0;
        for (std::size_t s = 0; s < energies.size(); ++s) {
            const double d = (energies[s] - table.energies[s]) / table.numAtoms[s];
            sum += d * d;
        }
        char line[160];
        std::snprintf(line, sizeof line, "RMSE per atom: %.6g (energy unit of the data; %zu structures)",
                      std::sqrt(sum / double(energies.size())), energies.size());
        logInfo(line);
    } else {
        logInfo("the data has no reference energies (all 0): no RMSE");
    }
    return 0;
}

}  // namespace agl::cli
