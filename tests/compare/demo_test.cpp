// agl demo's output folder rule: fresh, or only the reusable data file, unless --force.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include <unistd.h>

#include "agl/compare/demo.hpp"
#include "agl/error.hpp"

namespace agl {
namespace {

namespace fs = std::filesystem;

struct TempDir {
    fs::path path;
    explicit TempDir(const std::string& name)
        : path(fs::temp_directory_path() / ("agl_demo_" + name + "_" + std::to_string(::getpid()))) {
        fs::remove_all(path);
        fs::create_directories(path);
    }
    ~TempDir() { fs::remove_all(path); }
    void touch(const std::string& f) const { std::ofstream(path / f) << "x\n"; }
};

TEST(Demo, RefusesANonEmptyFolderWithoutForce) {
    TempDir d("refuse");
    d.touch("notes.txt");
    DemoOptions o;
    o.out = d.path.string();
    EXPECT_THROW(runDemo(o), InputError);
    // Nothing was written or removed.
    EXPECT_EQ(std::distance(fs::directory_iterator(d.path), fs::directory_iterator{}), 1);
    EXPECT_TRUE(fs::exists(d.path / "notes.txt"));
    EXPECT_NO_THROW(checkDemoOutputDir(o.out, true));
}

TEST(Demo, AnEarlierDemoIsRefusedTooButTheDataFileIsReusable) {
    TempDir d("reuse");
    d.touch("lj-small.data");
    fs::create_directories(d.path / "lj-small.data.parts");
    EXPECT_NO_THROW(checkDemoOutputDir(d.path.string(), false));
    fs::create_directories(d.path / "compare");
    EXPECT_THROW(checkDemoOutputDir(d.path.string(), false), InputError);
    EXPECT_NO_THROW(checkDemoOutputDir((d.path / "does-not-exist").string(), false));
    d.touch("file");
    EXPECT_THROW(checkDemoOutputDir((d.path / "file").string(), false), InputError) << "a file is not a folder";
}

TEST(Demo, QuickPlanIsSmaller) {
    const DemoPlan full = demoPlan(false), quick = demoPlan(true);
    EXPECT_EQ(full.lambdas, 16);
    EXPECT_LT(quick.lambdas, full.lambdas);
    EXPECT_LE(quick.models, full.models);
    EXPECT_LT(quick.epochsAgl, full.epochsAgl);
}

}  // namespace
}  // namespace agl
