// Errors. Library code throws, never exits; the CLI turns an exception into a message and exit code.
//   agl::Error       — a broken invariant or a failed system call (carries expression and file:line).
//   agl::InputError  — bad user input: names the file, the 1-based line (0 = whole file) and the problem.
//   agl::UsageError  — an option value agl refuses (an InputError whose "file" is the option, or "command
//                      line"): the CLI exits 2 and points at --help, as for an option cxxopts cannot parse.
//   agl::Interrupted — a long run stopped on request (Ctrl-C) after saving what it could; the message says
//                      what was saved. The CLI exits 130, as for SIGINT.
#pragma once
#include <stdexcept>
#include <string>
#include <utility>

namespace agl {

class Error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

class InputError : public Error {
public:
    InputError(std::string file, long line, const std::string& problem)
        : Error(format(file, line, problem)), file_(std::move(file)), line_(line), problem_(problem) {}
    const std::string& file() const { return file_; }
    long line() const { return line_; }
    const std::string& problem() const { return problem_; }

private:
    static std::string format(const std::string& file, long line, const std::string& problem) {
        return line > 0 ? file + ":" + std::to_string(line) + ": " + problem : file + ": " + problem;
    }
    std::string file_;
    long line_;
    std::string problem_;
};

class UsageError : public InputError {
public:
    UsageError(std::string option, const std::string& problem) : InputError(std::move(option), 0, problem) {}
};

class Interrupted : public Error {
public:
    using Error::Error;
};

}  // namespace agl

#define AGL_STRINGIFY_(x) #x
#define AGL_STRINGIFY(x) AGL_STRINGIFY_(x)
// AGL_CHECK(cond, message): throw agl::Error("file:line: check `cond` failed: message").
#define AGL_CHECK(cond, msg)                                                                    \
    do {                                                                                        \
        if (!(cond))                                                                            \
            throw ::agl::Error(std::string(__FILE__ ":" AGL_STRINGIFY(__LINE__) ": check `" #cond \
                                           "` failed: ") + (msg));                              \
    } while (0)
