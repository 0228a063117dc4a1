#pragma once
// Brings up the children of the winipsec-* connections charon holds
// (`apply --initiate`) and, when one does not come up, says why in words an
// administrator of the Windows side understands: charon's control log only
// says "establishing CHILD_SA ... failed", the cause is in the lines before.
//
// The classification reads the control-log lines strongSwan 5.9.8 (Debian 12)
// sends at log level 1, as measured in the interop lab (tests/interop,
// README "INTEROP LAB"): e.g. a pre-shared key mismatch shows on the
// initiator as MM6 it cannot decrypt ("invalid HASH_V1 payload length,
// decryption failed?"), a refused main mode offer as "received
// NO_PROPOSAL_CHOSEN error notify" before the IKE SA is up, a refused quick
// mode offer as the same notify after it, unknown traffic selectors as
// INVALID_ID_INFORMATION.
#include <chrono>
#include <expected>
#include <string>
#include <vector>

#include "ike/ike_config.hpp"
#include "ike/vici_commands.hpp"
#include "ike/vici_error.hpp"
#include "ike/vici_session.hpp"

namespace winipsec::ike {

enum class InitiateCause {
    None,                  // it came up
    PskMismatch,           // main mode authentication messages undecryptable / hash mismatch
    PeerHasNoKey,          // the peer refused the key exchange (strongSwan: no PSK for us)
    AuthenticationFailed,  // the peer sent AUTHENTICATION_FAILED
    PeerIdentity,          // the peer identified itself with another ID
    MainModeProposal,      // NO_PROPOSAL_CHOSEN before the IKE SA was up
    QuickModeProposal,     // NO_PROPOSAL_CHOSEN in quick mode
    TrafficSelectors,      // INVALID_ID_INFORMATION / TS_UNACCEPTABLE / narrowed out
    PeerNotAnswering,      // retransmits exhausted, or nothing back before the timeout
    NoAnswerToAuth,        // main mode stalled at MM5: what a Windows peer does with a wrong PSK
    Kernel,                // charon could not install the SA or its policies
    PeerRefused,           // another error notify from the peer
    NotInitiated,          // the peer is not a single host: charon can only answer
    Other,
};

struct InitiateFailure {
    InitiateCause cause = InitiateCause::Other;
    std::string text;      // "pre-shared key mismatch: ..."
    std::string evidence;  // the charon line the cause was read from (empty when none)
};

// `connection` supplies the proposals and selectors the cause names. Pure: it
// only reads `result`.
InitiateFailure classify_initiate_failure(const ViciControlResult& result, const IkeConnection& connection,
                                          const IkeChild& child);

struct ChildOutcome {
    std::string connection;
    std::string child;
    bool up = false;
    bool already_up = false;       // installed before this call; not initiated again
    std::vector<std::string> ts;   // "198.51.100.0/24 === 203.0.113.0/24" as installed, when up
    InitiateFailure failure;       // when !up
    std::vector<ViciLogLine> log;  // charon's control log of the attempt
    SourceLocation where;          // the Windows filter (IkeChild::where)
};

struct InitiateOptions {
    // How long charon may take for one child (main mode + quick mode). With
    // charon's default retransmission settings an unanswered peer is given
    // up only after 165 s; past this timeout the attempt is reported as
    // unanswered and charon keeps trying in the background.
    std::chrono::milliseconds timeout{30'000};
};

// Initiates every child of every connection in `config`, in order, skipping
// children already installed. When main mode with a peer fails, the other
// children of that connection are reported with the same cause instead of
// being tried again. Only transport trouble with charon is an error.
std::expected<std::vector<ChildOutcome>, ViciError> initiate_children(ViciSession& session, const IkeConfig& config,
                                                                      const InitiateOptions& options = {});

}  // namespace winipsec::ike
