#include "plugins/netdiag/netdiag_filters.hpp"

#include <algorithm>
#include <array>
#include <map>

#include <fmt/format.h>

#include "plugins/netdiag/netdiag_codes.hpp"

namespace winipsec::listing {
namespace {

namespace label {
constexpr std::string_view test = "IP Security test";
constexpr std::string_view local_policy = "Local IPSec Policy Active";
constexpr std::string_view directory_policy = "Directory IPSec Policy Active";
constexpr std::string_view path = "IP Security Policy Path";
constexpr std::string_view filter_id = "Filter Id";
constexpr std::string_view policy_id = "Policy Id";
constexpr std::string_view src_addr = "Src Addr";
constexpr std::string_view src_mask = "Src Mask";
constexpr std::string_view dst_addr = "Dest Addr";
constexpr std::string_view dst_mask = "Dest Mask";
constexpr std::string_view tunnel_addr = "Tunnel Addr";
constexpr std::string_view src_port = "Src Port";
constexpr std::string_view dst_port = "Dest Port";
constexpr std::string_view protocol = "Protocol";
constexpr std::string_view tunnel_filter = "TunnelFilter";
constexpr std::string_view flags = "Flags";
constexpr std::string_view source = "Source";  // winipsec's own addition (src/cli/netdiag_listing.cpp)
}  // namespace label

constexpr std::array<std::string_view, 17> all_labels = {
    label::test,        label::local_policy, label::directory_policy, label::path,     label::filter_id,
    label::policy_id,   label::src_addr,     label::src_mask,         label::dst_addr, label::dst_mask,
    label::tunnel_addr, label::src_port,     label::dst_port,         label::protocol, label::tunnel_filter,
    label::flags,       label::source};

constexpr std::array<std::string_view, 8> required_labels = {label::src_addr, label::src_mask, label::dst_addr,
                                                             label::dst_mask, label::src_port, label::dst_port,
                                                             label::protocol, label::flags};

bool is_filter_label(std::string_view l) {
    return l != label::test && l != label::local_policy && l != label::directory_policy && l != label::path &&
           l != label::source;
}

// One `Filter Id` block while it is being read.
struct OpenBlock {
    std::string name;
    SourceLocation where;
    std::map<std::string_view, Field> fields;
};

class NetdiagReader {
public:
    explicit NetdiagReader(Diagnostics& d) : d_(d) {}

    NetdiagListing read(std::span<const ListingLine> lines) {
        for (const auto& line : lines) read_line(line);
        drop_pending_name();
        close_block();
        return std::move(out_);
    }

private:
    void read_line(const ListingLine& line) {
        if (line.blank()) return;
        const ScannedLine s = scan_fields(line, all_labels);
        if (s.fields.empty()) return plain_line(line, s);
        if (!s.leading.empty() && !(iequals(s.leading, "Passed") || iequals(s.leading, "Failed"))) {
            // Text before the first label that no layout explains; a copy from
            // a web page may have joined "IP Security test ... : Passed" into
            // the next line, which leaves "Passed" (corpus #35).
            unknown(s.leading_at, s.leading);
        }
        for (const auto& f : s.fields) field(f, s);
    }

    // A line without labels: "There are N filters", the no-policy message, or
    // a filter's name (the line before its `Filter Id`).
    void plain_line(const ListingLine& line, const ScannedLine& s) {
        const std::string l = lower(s.leading);
        if (l.starts_with("there are ") || l.starts_with("there is ")) {
            const auto rest = std::string_view(l).substr(l.find(' ', 6) + 1);
            const auto space = rest.find(' ');
            if (const auto n = parse_number(rest.substr(0, space), 1u << 30);
                n && space != std::string_view::npos && rest.substr(space + 1).starts_with("filter")) {
                out_.declared_filters = *n;
                out_.declared_at = s.leading_at;
                return;
            }
        }
        if (l.find("no policy is assigned") != std::string::npos) {
            out_.no_policy_assigned = true;
            out_.no_policy_at = s.leading_at;
            return;
        }
        drop_pending_name();
        pending_name_ = s.leading;
        pending_name_at_ = line.start();
    }

    void field(const Field& f, const ScannedLine& s) {
        if (!is_filter_label(f.label)) drop_pending_name();
        if (f.label == label::test) return;  // "Passed" / "Failed": not policy
        if (f.label == label::local_policy || f.label == label::directory_policy) {
            out_.policy_name = unquote(f.value);
            out_.policy_at = f.value_at;
            out_.directory_policy = f.label == label::directory_policy;
            return;
        }
        if (f.label == label::path) {
            out_.policy_path = f.value;
            return;
        }
        if (f.label == label::source) {
            // winipsec's own listing names the input a filter came from; it
            // is the first pair on its line. Anywhere else it is not ours.
            if (&f != &s.fields.front() || !s.leading.empty()) unknown(f.at, "Source : " + f.value);
            return;
        }
        if (f.label == label::filter_id || !block_ || block_->fields.contains(f.label)) {
            close_block();
            block_.emplace();
            if (pending_name_) {
                block_->name = *pending_name_;
                block_->where = pending_name_at_;
                pending_name_.reset();
            } else {
                block_->where = f.at;
            }
        }
        drop_pending_name();
        block_->fields.emplace(f.label, f);
    }

    void close_block() {
        if (!block_) return;
        OpenBlock b = std::move(*block_);
        block_.reset();
        std::string missing;
        for (const auto l : required_labels)
            if (!b.fields.contains(l)) missing += fmt::format("{}'{} :'", missing.empty() ? "" : ", ", l);
        if (!missing.empty()) {
            d_.error(code::missing_field, b.where,
                     fmt::format("this netdiag filter lacks {}; the filter is not imported", missing));
            return;
        }
        ListedFilter f;
        f.name = b.name;
        f.where = b.where;
        if (const auto it = b.fields.find(label::filter_id); it != b.fields.end()) f.filter_id = it->second.value;
        if (const auto it = b.fields.find(label::policy_id); it != b.fields.end()) f.policy_id = it->second.value;
        bool ok = end(b, label::src_addr, label::src_mask, f.source);
        ok = end(b, label::dst_addr, label::dst_mask, f.destination) && ok;
        ok = port(b.fields.at(label::src_port), f.source_port) && ok;
        ok = port(b.fields.at(label::dst_port), f.destination_port) && ok;
        ok = protocol(b.fields.at(label::protocol), f.protocol) && ok;
        ok = tunnel(b, f) && ok;
        ok = flags(b.fields.at(label::flags), f) && ok;
        if (ok && f.source.address.family != f.destination.address.family) {
            bad(b.fields.at(label::dst_addr), "the source and destination are of different IP versions");
            ok = false;
        }
        if (ok) out_.filters.push_back(std::move(f));
    }

    bool end(const OpenBlock& b, std::string_view addr_label, std::string_view mask_label, ListedEnd& out) {
        const Field& a = b.fields.at(addr_label);
        const Field& m = b.fields.at(mask_label);
        const auto address = IpAddress::parse(a.value);
        if (!address) return bad(a, "not an IPv4 or IPv6 address");
        out.address = *address;
        // IPv6 listings may print a prefix length instead of a mask [I].
        if (const auto n = parse_number(m.value, static_cast<unsigned long>(address->bit_width()))) {
            out.prefix_length = static_cast<int>(*n);
        } else {
            const auto mask = IpAddress::parse(m.value);
            if (!mask || mask->family != address->family) return bad(m, "not a mask of the address's IP version");
            const auto length = mask->mask_prefix_length();
            if (!length) return bad(m, "the mask is not contiguous; winipsec cannot express such a filter");
            out.prefix_length = *length;
        }
        if (out.address.has_host_bits(out.prefix_length)) {
            // Windows stores the address as given and compares under the mask.
            out.address = out.address.masked(out.prefix_length);
        }
        return true;
    }

    bool port(const Field& f, std::uint16_t& out) {
        const auto n = parse_number(f.value, 65535);
        if (!n) return bad(f, "not a port number 0-65535");
        out = static_cast<std::uint16_t>(*n);
        return true;
    }

    bool protocol(const Field& f, std::uint8_t& out) {
        if (const auto n = parse_number(f.value, 255)) {
            out = static_cast<std::uint8_t>(*n);
            return true;
        }
        static constexpr std::pair<std::string_view, std::uint8_t> names[] = {
            {"any", 0}, {"icmp", 1}, {"tcp", 6}, {"udp", 17}, {"raw", 255}};
        for (const auto& [name, number] : names)
            if (iequals(f.value, name)) {
                out = number;
                return true;
            }
        return bad(f, "not an IP protocol number 0-255");
    }

    bool tunnel(const OpenBlock& b, ListedFilter& f) {
        const auto addr = b.fields.find(label::tunnel_addr);
        const auto flag = b.fields.find(label::tunnel_filter);
        std::optional<IpAddress> address;
        if (addr != b.fields.end()) {
            address = IpAddress::parse(addr->second.value);
            if (!address) return bad(addr->second, "not an IPv4 or IPv6 address");
        }
        bool is_tunnel = address && *address != IpAddress::any(address->family);
        if (flag != b.fields.end()) {
            if (iequals(flag->second.value, "yes"))
                is_tunnel = true;
            else if (iequals(flag->second.value, "no"))
                is_tunnel = false;
            else
                return bad(flag->second, "expected Yes or No");
        }
        if (!is_tunnel) return true;
        if (!address || *address == IpAddress::any(address->family))
            return bad(flag != b.fields.end() ? flag->second : addr->second,
                       "a tunnel filter needs a tunnel address other than 0.0.0.0");
        f.tunnel = address;
        return true;
    }

    // "Inbound Block", "Outbound Negotiate InboundPassthru AllowUnsecured":
    // direction, then action, then the modifiers winipsec's own listing adds.
    bool flags(const Field& f, ListedFilter& out) {
        std::vector<std::string_view> words;
        std::string_view rest = f.value;
        while (!(rest = trim(rest)).empty()) {
            const auto space = rest.find_first_of(" \t");
            words.push_back(rest.substr(0, space));
            rest = space == std::string_view::npos ? std::string_view() : rest.substr(space);
        }
        std::optional<ListedDirection> direction;
        std::optional<ActionKind> action;
        for (const auto w : words) {
            if (iequals(w, "inbound"))
                direction = ListedDirection::Inbound;
            else if (iequals(w, "outbound"))
                direction = ListedDirection::Outbound;
            else if (iequals(w, "block"))
                action = ActionKind::Block;
            else if (iequals(w, "permit") || iequals(w, "pass"))
                action = ActionKind::Permit;
            else if (iequals(w, "negotiate"))
                action = ActionKind::Negotiate;
            else if (iequals(w, "inboundpassthru"))
                out.inbound_passthrough = true;
            else if (iequals(w, "allowunsecured"))
                out.fallback_to_clear = true;
            else
                d_.warning(code::unknown_flag, f.value_at,
                           fmt::format("'{}' on the Flags line is not a direction or action winipsec knows; "
                                       "ignored",
                                       w));
        }
        if (!direction) return bad(f, "no direction (Inbound or Outbound)");
        if (!action) return bad(f, "no action (Block, Permit or Negotiate)");
        out.direction = *direction;
        out.action = *action;
        return true;
    }

    bool bad(const Field& f, std::string_view why) {
        d_.error(code::bad_value, f.value_at,
                 fmt::format("{} : '{}': {}; the filter is not imported", f.label, f.value, why));
        return false;
    }

    void unknown(const SourceLocation& where, std::string_view text) {
        d_.warning(code::unknown_line, where,
                   fmt::format("'{}' is not part of a netdiag IPsec listing winipsec knows; ignored", text));
    }

    void drop_pending_name() {
        if (pending_name_) unknown(pending_name_at_, *pending_name_);
        pending_name_.reset();
    }

    static std::string unquote(std::string_view v) {
        if (v.size() >= 2 && v.front() == '\'' && v.back() == '\'') v = v.substr(1, v.size() - 2);
        return std::string(v);
    }

    Diagnostics& d_;
    NetdiagListing out_;
    std::optional<OpenBlock> block_;
    std::optional<std::string> pending_name_;
    SourceLocation pending_name_at_;
};

}  // namespace

NetdiagListing read_netdiag_listing(std::span<const ListingLine> lines, Diagnostics& diagnostics) {
    return NetdiagReader(diagnostics).read(lines);
}

int count_netdiag_lines(std::span<const ListingLine> lines) {
    int n = 0;
    for (const auto& line : lines) {
        const ScannedLine s = scan_fields(line, all_labels);
        // Every label but our own `Source :` is netdiag's; the no-policy
        // sentence is the whole listing of a host without policy.
        const bool labelled =
            std::any_of(s.fields.begin(), s.fields.end(), [](const Field& f) { return f.label != label::source; });
        if (labelled || lower(s.leading).find("no policy is assigned") != std::string::npos) ++n;
    }
    return n;
}

}  // namespace winipsec::listing
