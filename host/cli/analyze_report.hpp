// Outputs of `agl analyze`: rdf.csv, msd.csv, diffusion.csv, rdf.png, msd.png and summary.md, with one
// column / curve per trajectory (labelled by file name) so that several potentials land on one plot.
#pragma once
#include <cstddef>
#include <string>
#include <vector>

#include "agl/md/analysis.hpp"

namespace agl::cli {

// Everything measured on one trajectory file.
struct TrajectoryResult {
    std::string path, label;           // label: the file name (the path when two files share a name)
    std::size_t framesRead = 0;        // frames in the file
    std::size_t framesUsed = 0;        // after --skip
    std::size_t numAtoms = 0;
    std::vector<int> elements;         // ascending Z present
    double firstTime = 0.0, lastTime = 0.0, frameTime = 0.0;  // time units of the file
    bool timesFromFile = true;         // false: --frame-time
    md::Rdf rdf;
    md::Msd msd;
    std::vector<md::DiffusionFit> fits;  // (msd.curves) D of each element, then all atoms
};

// Written atomically; existing files are kept unless `force`.
void writeRdfCsv(const std::string& path, const std::vector<TrajectoryResult>& results, bool force);
void writeMsdCsv(const std::string& path, const std::vector<TrajectoryResult>& results, bool force);
void writeDiffusionCsv(const std::string& path, const std::vector<TrajectoryResult>& results, bool force);
void writeRdfPlot(const std::string& path, const std::vector<TrajectoryResult>& results, bool force);
void writeMsdPlot(const std::string& path, const std::vector<TrajectoryResult>& results, bool force);
void writeSummary(const std::string& path, const std::vector<TrajectoryResult>& results, bool force);

}  // namespace agl::cli
