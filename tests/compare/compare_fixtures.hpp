// A tiny Lennard-Jones data set for the comparison tests: two short NVT runs of 256 atoms (12 samples each,
// seconds of test time), the paper's 22 candidate functions, and its feature table.
#pragma once
#include <string>

#include "agl/features.hpp"
#include "agl/io.hpp"
#include "agl/md/lj_data.hpp"
#include "agl/paper_sets.hpp"

namespace agl::testing {

inline Dataset tinyLjData() {
    md::LjProtocol p = md::ljProtocol("small");
    p.states = {{1.5, 1.1, false}, {1.0, 0.9, true}};
    p.meltTime = 0.05;
    p.equilibrationTime = 0.05;
    p.samplesPerState = 12;
    p.sampleInterval = 20;
    Dataset d;
    for (std::size_t i = 0; i < p.states.size(); ++i)
        md::runLjStatePoint(p, i, 7, [&](Structure&& s) { d.structures.push_back(std::move(s)); });
    return d;
}

inline NnSettings ljCandidates() { return readNnSettings(std::string(AGL_TEST_DATA) + "/features/lj.nn"); }

}  // namespace agl::testing
