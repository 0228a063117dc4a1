#pragma once
// Exit status of every verb (README "EXIT STATUS").
#include "import/error.hpp"

namespace winipsec::cli {

enum ExitStatus : int {
    exit_ok = 0,            // done; warnings allowed
    exit_input_errors = 1,  // the input has errors
    exit_usage = 2,         // bad command line
    exit_system = 3,        // a file, the kernel or a daemon failed us
};

inline int exit_status_for(const Error& e) {
    switch (e.kind) {
        case Error::Kind::Input: return exit_input_errors;
        case Error::Kind::Usage: return exit_usage;
        case Error::Kind::System: return exit_system;
    }
    return exit_system;
}

}  // namespace winipsec::cli
