#pragma once
// boot: fail-closed. Until the first policy is applied the host talks to
// nobody: winipsec's nft table drops everything but loopback (Windows'
// `bootmode=block`, spec §5, without the boot exemptions). Being the same
// table `inet winipsec`, the first real apply replaces it in one batch.
#include "kernel/kernel_state.hpp"

namespace winipsec::daemon {

kernel::KernelState fail_closed_state();

}  // namespace winipsec::daemon
