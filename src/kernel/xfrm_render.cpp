// render_ip_xfrm(): the `ip xfrm policy add` lines equivalent to what
// apply_xfrm_policies() installs, for `winipsec translate` output and for
// administrators who want to install by hand. The netns tests run these
// lines through the real `ip` and compare the kernel's dump with the one our
// own netlink encoder produces, so this file and xfrm_netlink.cpp cannot
// silently drift apart.
#include <fmt/format.h>

#include "kernel/xfrm_policy.hpp"

namespace winipsec::kernel {
namespace {

// iproute2 (ip/xfrm_policy.c, xfrm_tmpl_parse) derives a template's family
// from its addresses and leaves it 0 when none is given; the kernel then
// uses the selector's family (validate_tmpl), which is what winipsec always
// sets for address-less templates. Algorithm masks default to ~0 there, as
// in our encoder (spec §4.1).
std::string template_text(const XfrmTemplate& t) {
    std::string s = " tmpl";
    if (t.source) s += " src " + t.source->to_string();
    if (t.destination) s += " dst " + t.destination->to_string();
    s += fmt::format(" proto {} reqid {} mode {} level {}", to_string(t.proto), t.reqid, to_string(t.mode),
                     t.optional ? "use" : "required");
    return s;
}

}  // namespace

std::string render_ip_xfrm(const std::vector<XfrmPolicy>& policies) {
    std::string out;
    for (const auto& p : policies) {
        // The origin as a comment line: both sh and `ip -batch` skip '#' lines.
        if (!p.origin.empty()) {
            std::string origin = p.origin;
            for (char& c : origin)
                if (c == '\n' || c == '\r') c = ' ';
            out += "# " + origin + '\n';
        }
        out += fmt::format("ip xfrm policy add {} dir {} index {} priority {} action {}", p.selector.to_string(),
                           to_string(p.dir), p.index, p.priority, to_string(p.action));
        for (const auto& t : p.templates) out += template_text(t);
        out += '\n';
    }
    return out;
}

}  // namespace winipsec::kernel
