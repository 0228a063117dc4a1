// classify_initiate_failure() on the control logs strongSwan 5.9.8 sent to
// `winipsec apply --initiate` in the interop lab (gw initiating towards the
// hand-configured Windows end, both on kernel-libipsec). Each fixture is the
// log as received, [NET] packet lines included where they were sent at level 1.
#include <doctest/doctest.h>

#include <string>
#include <utility>
#include <vector>

#include "ike/ike_initiate.hpp"

using namespace winipsec::ike;

namespace {

ViciControlResult failed(std::vector<std::pair<std::string, std::string>> lines,
                         std::string errmsg = "establishing CHILD_SA 'winipsec-HQ-Branch-HQ_to_Branch-f1' failed") {
    ViciControlResult r;
    r.success = false;
    r.errmsg = std::move(errmsg);
    for (auto& [group, message] : lines) r.log.push_back({group, 1, "winipsec-HQ-Branch-HQ_to_Branch", message});
    return r;
}

IkeConnection gw_connection() {
    IkeConnection c;
    c.name = "winipsec-HQ-Branch-HQ_to_Branch";
    c.local_addrs = {"192.0.2.10"};
    c.remote_addrs = {"192.0.2.20"};
    c.proposals = {"3des-sha1-modp1024", "3des-md5-modp1024"};
    c.local.id = "192.0.2.10";
    c.remote.id = "192.0.2.20";
    IkeChild child;
    child.name = "winipsec-HQ-Branch-HQ_to_Branch-f1";
    child.mode = "tunnel";
    child.local_ts = {"198.51.100.0/24"};
    child.remote_ts = {"203.0.113.0/24"};
    child.esp_proposals = {"3des-sha1", "3des-md5"};
    c.children.push_back(child);
    return c;
}

InitiateFailure classify(const ViciControlResult& r) {
    const IkeConnection c = gw_connection();
    return classify_initiate_failure(r, c, c.children.front());
}

// Main mode up to MM4, common to every case that gets past the proposals.
std::vector<std::pair<std::string, std::string>> main_mode_to_mm5() {
    return {
        {"IKE", "initiating Main Mode IKE_SA winipsec-HQ-Branch-HQ_to_Branch[12] to 192.0.2.20"},
        {"ENC", "generating ID_PROT request 0 [ SA V V V V V ]"},
        {"NET", "sending packet: from 192.0.2.10[500] to 192.0.2.20[500] (208 bytes)"},
        {"NET", "received packet: from 192.0.2.20[500] to 192.0.2.10[500] (156 bytes)"},
        {"ENC", "parsed ID_PROT response 0 [ SA V V V V ]"},
        {"IKE", "received XAuth vendor ID"},
        {"IKE", "received DPD vendor ID"},
        {"IKE", "received FRAGMENTATION vendor ID"},
        {"IKE", "received NAT-T (RFC 3947) vendor ID"},
        {"CFG", "selected proposal: IKE:3DES_CBC/HMAC_SHA1_96/PRF_HMAC_SHA1/MODP_1024"},
        {"ENC", "generating ID_PROT request 0 [ KE No NAT-D NAT-D ]"},
        {"NET", "sending packet: from 192.0.2.10[500] to 192.0.2.20[500] (244 bytes)"},
        {"NET", "received packet: from 192.0.2.20[500] to 192.0.2.10[500] (244 bytes)"},
        {"ENC", "parsed ID_PROT response 0 [ KE No NAT-D NAT-D ]"},
        {"IKE", "remote host is behind NAT"},
        {"ENC", "generating ID_PROT request 0 [ ID HASH N(INITIAL_CONTACT) ]"},
        {"NET", "sending packet: from 192.0.2.10[4500] to 192.0.2.20[4500] (100 bytes)"},
    };
}

std::vector<std::pair<std::string, std::string>> main_mode_done_quick_mode_sent() {
    auto lines = main_mode_to_mm5();
    lines.insert(lines.end(), {
                                  {"NET", "received packet: from 192.0.2.20[4500] to 192.0.2.10[4500] (68 bytes)"},
                                  {"ENC", "parsed ID_PROT response 0 [ ID HASH ]"},
                                  {"IKE",
                                   "IKE_SA winipsec-HQ-Branch-HQ_to_Branch[14] established between "
                                   "192.0.2.10[192.0.2.10]...192.0.2.20[192.0.2.20]"},
                                  {"IKE", "scheduling reauthentication in 23859s"},
                                  {"IKE", "maximum IKE_SA lifetime 26739s"},
                                  {"ENC", "generating QUICK_MODE request 232319725 [ HASH SA No ID ID ]"},
                                  {"NET", "sending packet: from 192.0.2.10[4500] to 192.0.2.20[4500] (220 bytes)"},
                              });
    return lines;
}

}  // namespace

TEST_SUITE("ike_initiate_cause") {
    TEST_CASE("PSK mismatch: the peer's MM6 (its PAYLOAD_MALFORMED notify) cannot be decrypted") {
        auto lines = main_mode_to_mm5();
        for (int i = 1; i <= 2; ++i) {
            lines.insert(lines.end(),
                         {
                             {"NET", "received packet: from 192.0.2.20[500] to 192.0.2.10[500] (68 bytes)"},
                             {"ENC", "invalid HASH_V1 payload length, decryption failed?"},
                             {"ENC", "could not decrypt payloads"},
                             {"IKE", "message parsing failed"},
                             {"IKE", "ignore malformed INFORMATIONAL request"},
                             {"IKE", "INFORMATIONAL_V1 request with message ID 1595403219 processing failed"},
                             {"IKE", "sending retransmit " + std::to_string(i) + " of request message ID 0, seq 3"},
                         });
        }
        lines.insert(lines.end(), {{"IKE", "giving up after 2 retransmits"},
                                   {"IKE", "establishing IKE_SA failed, peer not responding"}});
        const auto f = classify(failed(lines));
        CHECK(f.cause == InitiateCause::PskMismatch);
        CHECK(f.text.starts_with("pre-shared key mismatch"));
        CHECK(f.evidence == "invalid HASH_V1 payload length, decryption failed?");
    }

    TEST_CASE("PSK mismatch against a peer that drops MM5 silently (as Windows does): stalled at MM5") {
        auto lines = main_mode_to_mm5();
        lines.insert(lines.end(), {{"IKE", "sending retransmit 1 of request message ID 0, seq 3"},
                                   {"IKE", "sending retransmit 2 of request message ID 0, seq 3"},
                                   {"IKE", "giving up after 2 retransmits"},
                                   {"IKE", "establishing IKE_SA failed, peer not responding"}});
        const auto f = classify(failed(lines));
        CHECK(f.cause == InitiateCause::NoAnswerToAuth);
        CHECK(f.text.find("pre-shared key mismatch") != std::string::npos);
        CHECK(f.text.find("UDP 4500") != std::string::npos);  // floated: the NAT-T port may be blocked
        CHECK(f.evidence == "giving up after 2 retransmits");
    }

    TEST_CASE("main mode proposal mismatch: NO_PROPOSAL_CHOSEN answers MM1") {
        const auto f = classify(failed({
            {"IKE", "initiating Main Mode IKE_SA winipsec-HQ-Branch-HQ_to_Branch[13] to 192.0.2.20"},
            {"ENC", "generating ID_PROT request 0 [ SA V V V V V ]"},
            {"NET", "sending packet: from 192.0.2.10[500] to 192.0.2.20[500] (208 bytes)"},
            {"NET", "received packet: from 192.0.2.20[500] to 192.0.2.10[500] (56 bytes)"},
            {"ENC", "parsed INFORMATIONAL_V1 request 495830011 [ N(NO_PROP) ]"},
            {"IKE", "received NO_PROPOSAL_CHOSEN error notify"},
        }));
        CHECK(f.cause == InitiateCause::MainModeProposal);
        CHECK(f.text ==
              "no proposal chosen: 192.0.2.20 accepted none of our main mode proposals (3des-sha1-modp1024, "
              "3des-md5-modp1024), or has no IKE configuration for 192.0.2.10");
    }

    TEST_CASE("quick mode proposal mismatch: NO_PROPOSAL_CHOSEN after the IKE SA is up") {
        auto lines = main_mode_done_quick_mode_sent();
        lines.insert(lines.end(), {{"NET", "received packet: from 192.0.2.20[4500] to 192.0.2.10[4500] (76 bytes)"},
                                   {"ENC", "parsed INFORMATIONAL_V1 request 42991144 [ HASH N(NO_PROP) ]"},
                                   {"IKE", "received NO_PROPOSAL_CHOSEN error notify"}});
        const auto f = classify(failed(lines));
        CHECK(f.cause == InitiateCause::QuickModeProposal);
        CHECK(f.text ==
              "no proposal chosen: main mode succeeded, but 192.0.2.20 accepted none of our quick mode proposals "
              "(ESP 3des-sha1, 3des-md5)");
    }

    TEST_CASE("quick mode on an IKE SA that was already up is still quick mode") {
        const auto f = classify(failed({
            {"ENC", "generating QUICK_MODE request 4210112870 [ HASH SA No ID ID ]"},
            {"ENC", "parsed INFORMATIONAL_V1 request 1 [ HASH N(NO_PROP) ]"},
            {"IKE", "received NO_PROPOSAL_CHOSEN error notify"},
        }));
        CHECK(f.cause == InitiateCause::QuickModeProposal);
    }

    TEST_CASE("traffic selectors the peer has no policy for: INVALID_ID_INFORMATION") {
        auto lines = main_mode_done_quick_mode_sent();
        lines.insert(lines.end(), {{"ENC", "parsed INFORMATIONAL_V1 request 3999310335 [ HASH N(INVAL_ID) ]"},
                                   {"IKE", "received INVALID_ID_INFORMATION error notify"}});
        const auto f = classify(failed(lines));
        CHECK(f.cause == InitiateCause::TrafficSelectors);
        CHECK(f.text ==
              "traffic selectors unacceptable: 192.0.2.20 has no quick mode policy for 198.51.100.0/24 === "
              "203.0.113.0/24 (INVALID_ID_INFORMATION)");
    }

    TEST_CASE("no key at the peer: strongSwan refuses MM3 with INVALID_KE_PAYLOAD") {
        const auto f = classify(failed({
            {"IKE", "initiating Main Mode IKE_SA winipsec-HQ-Branch-HQ_to_Branch[16] to 192.0.2.20"},
            {"ENC", "generating ID_PROT request 0 [ SA V V V V V ]"},
            {"ENC", "parsed ID_PROT response 0 [ SA V V V V ]"},
            {"CFG", "selected proposal: IKE:3DES_CBC/HMAC_SHA1_96/PRF_HMAC_SHA1/MODP_1024"},
            {"ENC", "generating ID_PROT request 0 [ KE No NAT-D NAT-D ]"},
            {"ENC", "parsed INFORMATIONAL_V1 request 3943152794 [ N(INVAL_KE) ]"},
            {"IKE", "received INVALID_KE_PAYLOAD error notify"},
        }));
        CHECK(f.cause == InitiateCause::PeerHasNoKey);
        CHECK(f.text.starts_with("192.0.2.20 has no pre-shared key for 192.0.2.10"));
    }

    TEST_CASE("peer not answering: retransmits exhausted without a reply") {
        const auto f = classify(failed({
            {"IKE", "initiating Main Mode IKE_SA winipsec-HQ-Branch-HQ_to_Branch[17] to 192.0.2.20"},
            {"ENC", "generating ID_PROT request 0 [ SA V V V V V ]"},
            {"NET", "sending packet: from 192.0.2.10[500] to 192.0.2.20[500] (208 bytes)"},
            {"IKE", "sending retransmit 1 of request message ID 0, seq 1"},
            {"NET", "sending packet: from 192.0.2.10[500] to 192.0.2.20[500] (208 bytes)"},
            {"IKE", "sending retransmit 2 of request message ID 0, seq 1"},
            {"NET", "sending packet: from 192.0.2.10[500] to 192.0.2.20[500] (208 bytes)"},
            {"IKE", "giving up after 2 retransmits"},
            {"IKE", "establishing IKE_SA failed, peer not responding"},
        }));
        CHECK(f.cause == InitiateCause::PeerNotAnswering);
        CHECK(f.text == "peer not answering: 192.0.2.20 never replied (retransmits exhausted)");
    }

    TEST_CASE("peer not answering before the initiate timeout: charon's errmsg says so") {
        const auto f = classify(failed(
            {
                {"IKE", "initiating Main Mode IKE_SA winipsec-HQ-Branch-HQ_to_Branch[18] to 192.0.2.20"},
                {"ENC", "generating ID_PROT request 0 [ SA V V V V V ]"},
                {"NET", "sending packet: from 192.0.2.10[500] to 192.0.2.20[500] (208 bytes)"},
            },
            "CHILD_SA 'winipsec-HQ-Branch-HQ_to_Branch-f1' not established after 1000ms"));
        CHECK(f.cause == InitiateCause::PeerNotAnswering);
        CHECK(f.text.find("before the timeout") != std::string::npos);
    }

    TEST_CASE("a transport SA on kernel-libipsec: negotiated, then refused by the SA back end") {
        auto lines = main_mode_done_quick_mode_sent();
        lines.insert(lines.end(), {{"ENC", "parsed QUICK_MODE response 2714577005 [ HASH SA No ID ID NAT-OA NAT-OA ]"},
                                   {"CFG", "selected proposal: ESP:3DES_CBC/HMAC_SHA1_96/NO_EXT_SEQ"},
                                   {"ESP", "  IPsec SA: unsupported mode"},
                                   {"ESP", "failed to create SAD entry"},
                                   {"ESP", "  IPsec SA: unsupported mode"},
                                   {"ESP", "failed to create SAD entry"},
                                   {"IKE", "unable to install inbound and outbound IPsec SA (SAD) in kernel"}});
        IkeConnection c = gw_connection();
        c.children.front().mode = "transport";
        const auto f = classify_initiate_failure(failed(lines), c, c.children.front());
        CHECK(f.cause == InitiateCause::Kernel);
        CHECK(f.text ==
              "quick mode succeeded, but charon could not install the transport SA in the kernel: kernel-libipsec "
              "carries tunnel mode only");
        CHECK(f.evidence == "unable to install inbound and outbound IPsec SA (SAD) in kernel");
    }

    TEST_CASE("an unknown failure quotes charon instead of guessing") {
        const auto f = classify(failed({{"CFG", "something new"}}, "establishing CHILD_SA 'x' failed"));
        CHECK(f.cause == InitiateCause::Other);
        CHECK(f.text == "charon: establishing CHILD_SA 'x' failed");
        CHECK(f.evidence == "something new");
    }
}
