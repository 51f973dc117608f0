// FirstError: carries an exception out of an OpenMP loop. An exception must not leave a parallel region
// (the program would terminate: std::terminate, no message naming the input), so each iteration runs
// through run(), the first exception is kept, later iterations are skipped, and rethrow() after the loop
// throws it on the calling thread, where the command's error handling reports it.
//
//     FirstError error;
//     #pragma omp parallel for
//     for (...) error.run([&] { ... });
//     error.rethrow();
#pragma once
#include <atomic>
#include <exception>
#include <mutex>

namespace agl {

class FirstError {
public:
    template <typename Body>
    void run(Body&& body) noexcept {
        if (failed_.load(std::memory_order_relaxed)) return;
        try {
            body();
        } catch (...) {
            std::lock_guard<std::mutex> lock(mutex_);
            if (!error_) error_ = std::current_exception();
            failed_.store(true, std::memory_order_relaxed);
        }
    }
    void rethrow() const {
        if (error_) std::rethrow_exception(error_);
    }

private:
    std::atomic<bool> failed_{false};
    std::mutex mutex_;
    std::exception_ptr error_;
};

}  // namespace agl
