#include "plugins/ipseccmd/ipseccmd_filter_spec.hpp"

#include <algorithm>
#include <cctype>

#include <fmt/format.h>

#include "plugins/ipseccmd/ipseccmd_codes.hpp"

namespace winipsec::ipseccmd {

namespace {

bool has_direction(std::string_view text) {
    return text.find_first_of("+=") != std::string_view::npos;
}

bool is_letter_word(std::string_view text) {
    std::size_t letters = 0;
    for (char c : text) {
        if (std::isalpha(static_cast<unsigned char>(c)))
            ++letters;
        else if (c != '*' && c != ':' && c != ']' && c != ')')
            return false;
    }
    return letters > 0;
}

// Splits at every `separator`; each piece keeps its offsets.
std::vector<Word> split_at(const Word& word, char separator) {
    std::vector<Word> out;
    std::size_t start = 0;
    for (std::size_t i = 0; i <= word.text.size(); ++i)
        if (i == word.text.size() || word.text[i] == separator) {
            out.push_back(word.slice(start, i - start));
            start = i + 1;
        }
    return out;
}

std::optional<std::uint8_t> protocol_number(std::string_view text) {
    const std::string upper = ascii_upper(text);
    if (upper == "TCP") return protocol::tcp;
    if (upper == "UDP") return protocol::udp;
    if (upper == "ICMP") return protocol::icmp;
    if (upper == "RAW") return protocol::raw;
    if (upper == "ANY") return protocol::any;  // netsh's spelling; harmless here
    if (const auto n = parse_number(text, 255)) return static_cast<std::uint8_t>(*n);
    return std::nullopt;
}

std::optional<int> parse_mask(const Word& mask, Diagnostics& diagnostics) {
    if (all_digits(mask.text) && mask.size() <= 2) {
        const auto n = parse_number(mask.text, 32);
        if (n) return static_cast<int>(*n);
    } else if (const auto dotted = IpAddress::parse(mask.text); dotted && dotted->family == IpFamily::V4) {
        if (const auto prefix = dotted->mask_prefix_length()) return *prefix;
        diagnostics.error(code::bad_mask, mask.at(0),
                          fmt::format("mask '{}' is not contiguous; winipsec supports masks of leading one bits only "
                                      "(kernel selectors cannot express others)",
                                      mask.text));
        return std::nullopt;
    }
    diagnostics.error(
        code::bad_mask, mask.at(0),
        fmt::format("'{}' is not a mask: write a dotted mask (255.255.0.0) or a prefix length 0-32", mask.text));
    return std::nullopt;
}

bool valid_dns_name(std::string_view name) {
    if (name.empty() || name.size() > 253 || name.front() == '.' || name.back() == '.') return false;
    bool letter = false;
    char previous = '.';
    for (char c : name) {
        const bool ok = std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.';
        if (!ok || (c == '.' && previous == '.')) return false;
        if (std::isalpha(static_cast<unsigned char>(c))) letter = true;
        previous = c;
    }
    return letter;
}

// 10.1.*.* -> 10.1.0.0/16 [I] (community usage, spec §6.2).
std::optional<FilterAddress> parse_wildcard(const Word& host, Diagnostics& diagnostics) {
    const auto parts = split_at(host, '.');
    std::uint32_t value = 0;
    int numeric = 0;
    bool star_seen = false;
    bool ok = parts.size() == 4;
    for (const auto& part : parts) {
        if (!ok) break;
        if (part.text == "*") {
            star_seen = true;
            value <<= 8;
            continue;
        }
        const auto octet = parse_number(part.text, 255);
        if (!octet || star_seen) {
            ok = false;
            break;
        }
        value = (value << 8) | *octet;
        ++numeric;
    }
    if (!ok) {
        diagnostics.error(code::bad_address, host.at(0),
                          fmt::format("'{}' is not a wildcard address: write four octets with '*' only at the end, "
                                      "e.g. 10.1.*.* for 10.1.0.0/16",
                                      host.text));
        return std::nullopt;
    }
    if (numeric == 0) return FilterAddress::any();
    return FilterAddress::specific(IpAddress::v4(value), 8 * numeric);
}

// A port field; `suggestion_at` is where an empty port would go if the field
// is really a protocol (E18: `0+*:TCP` means `0+*::TCP`).
std::optional<std::uint16_t> parse_port(const Word& field, bool destination, bool protocol_follows, const Word& spec,
                                        std::size_t suggestion_at, Diagnostics& diagnostics) {
    if (field.empty()) return 0;
    if (const auto n = parse_number(field.text, 65535)) return static_cast<std::uint16_t>(*n);
    std::string message;
    if (protocol_number(field.text) && !all_digits(field.text)) {
        if (destination && !protocol_follows) {
            std::string suggestion = spec.text;
            suggestion.insert(std::min(suggestion_at, suggestion.size()), ":");
            message = fmt::format(
                "'{}' is read as the destination port: the protocol is the third ':' field after "
                "the destination; with no port write an empty one: {}",
                field.text, suggestion);
        } else {
            message = fmt::format(
                "'{}' is in a port position; the protocol goes last, after the destination port "
                "(src:port+dst:port:protocol)",
                field.text);
        }
    } else if (field.text == "*") {
        message = "'*' is not a port: leave the port empty or write 0 for any port";
    } else {
        message = fmt::format("'{}' is not a port number (0-65535; empty or 0 = any port)", field.text);
    }
    diagnostics.error(code::bad_port, field.at(0), std::move(message));
    return std::nullopt;
}

// Start index of each ':'-separated field of w.text[from, to).
std::vector<std::size_t> field_starts(std::string_view text, std::size_t from, std::size_t to) {
    std::vector<std::size_t> starts{from};
    for (std::size_t i = from; i < to; ++i)
        if (text[i] == ':') starts.push_back(i + 1);
    return starts;
}

// One spec without its brackets (`inner` starts at `inner_at` in `raw`).
std::optional<FilterSpec> parse_plain(const Word& raw, const Word& inner, std::size_t inner_at, SpecKind kind,
                                      Diagnostics& diagnostics) {
    FilterSpec spec;
    spec.kind = kind;
    spec.word = raw;
    const std::string& t = inner.text;
    const auto sign = t.find_first_of("+=");
    if (sign == std::string::npos) {
        diagnostics.error(code::filter_syntax, inner.at(0),
                          fmt::format("'{}' is not a filter spec: source and destination are joined by '+' "
                                      "(mirrored) or '=' (one direction only), e.g. 0+* or *=0:80:TCP",
                                      t));
        return std::nullopt;
    }
    if (const auto second = t.find_first_of("+=", sign + 1); second != std::string::npos) {
        diagnostics.error(code::filter_syntax, inner.at(second),
                          fmt::format("'{}' has two direction signs; a spec has exactly one, between source and "
                                      "destination ('+' mirrored, '=' one direction only)",
                                      t));
        return std::nullopt;
    }
    spec.direction = inner.at(sign);
    spec.filter.mirrored = t[sign] == '+';
    // A filter's `where` is its own spec, not the start of the invocation:
    // one -f may hold several specs and later diagnostics (plan) should name
    // the right one.
    spec.filter.where = raw.at(0);

    // Field k of a side spans [starts[k], next start - 1) or to the side's end.
    const auto left = field_starts(t, 0, sign);
    const auto right = field_starts(t, sign + 1, t.size());
    auto field = [&](const std::vector<std::size_t>& starts, std::size_t k, std::size_t side_end) {
        const std::size_t b = starts[k];
        const std::size_t e = k + 1 < starts.size() ? starts[k + 1] - 1 : side_end;
        return inner.slice(b, e - b);
    };
    if (left.size() > 2) {
        diagnostics.error(code::filter_syntax, inner.at(left[2] - 1),
                          fmt::format("the source end '{}' has too many ':' fields: an end is host[/mask][:port], "
                                      "and the protocol is the third field after the destination "
                                      "(src:port+dst:port:protocol)",
                                      t.substr(0, sign)));
        return std::nullopt;
    }
    if (right.size() > 3) {
        diagnostics.error(
            code::filter_syntax, inner.at(right[3] - 1),
            fmt::format("the destination '{}' has too many ':' fields: it is host[/mask][:port][:protocol]",
                        t.substr(sign + 1)));
        return std::nullopt;
    }

    // Fields left to right; the first broken one is reported, the rest of
    // the spec is not (one precise error per spec).
    const auto source = parse_filter_address(field(left, 0, sign), "source", diagnostics);
    if (!source) return std::nullopt;
    const auto destination = parse_filter_address(field(right, 0, t.size()), "destination", diagnostics);
    if (!destination) return std::nullopt;
    std::optional<std::uint16_t> source_port = 0, destination_port = 0;
    if (left.size() > 1) {
        source_port = parse_port(field(left, 1, sign), false, right.size() > 2, raw, 0, diagnostics);
        if (!source_port) return std::nullopt;
    }
    if (right.size() > 1) {
        destination_port =
            parse_port(field(right, 1, t.size()), true, right.size() > 2, raw, inner_at + right[1], diagnostics);
        if (!destination_port) return std::nullopt;
    }
    std::optional<std::uint8_t> proto = protocol::any;
    if (right.size() > 2) {
        const Word p = field(right, 2, t.size());
        proto = protocol_number(p.text);
        if (!proto) {
            diagnostics.error(code::bad_protocol, p.empty() ? inner.at(right[2] - 1) : p.at(0),
                              p.empty() ? std::string("the protocol after the last ':' is empty: write TCP, UDP, ICMP, "
                                                      "RAW or a number 0-255, or drop the ':'")
                                        : fmt::format("'{}' is not a protocol: write TCP, UDP, ICMP, RAW or a number "
                                                      "0-255",
                                                      p.text));
            return std::nullopt;
        }
    }

    // Windows compares ports only for TCP and UDP (spec §4.3, §8.2); a port on
    // any other protocol would silently widen the filter, so it is rejected.
    if ((*source_port || *destination_port) && *proto != protocol::tcp && *proto != protocol::udp) {
        const Word port_field = *source_port ? field(left, 1, sign) : field(right, 1, t.size());
        diagnostics.error(code::port_protocol, port_field.at(0),
                          *proto == protocol::any
                              ? fmt::format("port {} without a protocol: Windows compares ports only for TCP and UDP; "
                                            "add :TCP or :UDP after the destination port",
                                            port_field.text)
                              : fmt::format("port {} with protocol {}: Windows compares ports only for TCP and UDP",
                                            port_field.text, protocol_name(*proto)));
        return std::nullopt;
    }
    spec.filter.source = *source;
    spec.filter.destination = *destination;
    spec.filter.source_port = *source_port;
    spec.filter.destination_port = *destination_port;
    spec.filter.protocol = *proto;
    return spec;
}

// A spec with its optional brackets. `open_allowed`: the closing bracket
// comes in a later blank-separated word (reported by the caller).
std::optional<FilterSpec> parse_spec(const Word& raw, bool open_allowed, Diagnostics& diagnostics) {
    const std::string& t = raw.text;
    SpecKind kind = SpecKind::Plain;
    Word inner = raw;
    std::size_t inner_at = 0;
    if (!t.empty() && (t.front() == '[' || t.front() == '(')) {
        const char closer = t.front() == '[' ? ']' : ')';
        const char other = t.front() == '[' ? ')' : ']';
        kind = t.front() == '[' ? SpecKind::Block : SpecKind::Pass;
        inner_at = 1;
        if (t.size() > 1 && t.back() == closer) {
            inner = raw.slice(1, t.size() - 2);
        } else if (t.size() > 1 && t.back() == other) {
            diagnostics.error(code::filter_syntax, raw.at(t.size() - 1),
                              fmt::format("'{}' opens with '{}' but closes with '{}'", t, t.front(), other));
            return std::nullopt;
        } else if (open_allowed) {
            inner = raw.slice(1);
        } else {
            diagnostics.error(code::filter_syntax, raw.at(0),
                              fmt::format("'{}' opens '{}' without closing it", t, t.front()));
            return std::nullopt;
        }
    } else if (!t.empty() && (t.back() == ']' || t.back() == ')')) {
        diagnostics.error(code::filter_syntax, raw.at(t.size() - 1),
                          fmt::format("'{}' closes a bracket it never opened", t));
        return std::nullopt;
    }
    if (iequals(inner.text, "DEFAULT")) {
        if (kind != SpecKind::Plain) {
            diagnostics.error(code::filter_syntax, raw.at(0), "DEFAULT (the default response rule) takes no brackets");
            return std::nullopt;
        }
        FilterSpec spec;
        spec.kind = SpecKind::Default;
        spec.word = raw;
        spec.filter.where = raw.at(0);
        return spec;
    }
    return parse_plain(raw, inner, inner_at, kind, diagnostics);
}

}  // namespace

std::optional<FilterAddress> parse_filter_address(const Word& word, std::string_view role, Diagnostics& diagnostics) {
    const auto slash = word.text.find('/');
    const Word host = word.slice(0, slash);
    std::optional<Word> mask;
    if (slash != std::string::npos) {
        mask = word.slice(slash + 1);
        if (mask->text.find('/') != std::string::npos || mask->empty()) {
            diagnostics.error(
                code::bad_mask, mask->at(0),
                fmt::format("'{}' is not a mask: write host/mask with one mask (255.255.0.0 or 16)", word.text));
            return std::nullopt;
        }
    }
    if (host.empty()) {
        diagnostics.error(code::bad_address, word.at(0),
                          fmt::format("the {} address is missing ('0' = this computer, '*' = any address)", role));
        return std::nullopt;
    }
    std::optional<int> prefix;
    if (mask) {
        prefix = parse_mask(*mask, diagnostics);
        if (!prefix) return std::nullopt;
    }

    if (host.text == "0") {  // me
        if (prefix && *prefix != 32)
            diagnostics.warning(code::mask_ignored, mask->at(0),
                                fmt::format("'0' is this computer's own addresses; the mask /{} is ignored", *prefix));
        return FilterAddress::me();
    }
    if (host.text == "*") {  // any
        if (prefix && *prefix != 0)
            diagnostics.warning(code::mask_ignored, mask->at(0),
                                fmt::format("'*' is any address; the mask /{} is ignored", *prefix));
        return FilterAddress::any();
    }
    if (host.text.find('*') != std::string::npos) {
        if (host.text.find_first_not_of("*0") == std::string::npos) {
            diagnostics.error(code::bad_address, host.at(0),
                              fmt::format("'{}' is not an address: '*' (any) and '0' (this computer) are separate ends "
                                          "with the direction sign between them, e.g. *=0 or 0=*",
                                          host.text));
            return std::nullopt;
        }
        auto wildcard = parse_wildcard(host, diagnostics);
        if (!wildcard) return std::nullopt;
        if (prefix) {
            diagnostics.error(code::bad_mask, mask->at(0),
                              fmt::format("'{}' gives both wildcard octets and a mask; give one of them", word.text));
            return std::nullopt;
        }
        return wildcard;
    }
    if (host.text.find_first_not_of("0123456789.") == std::string::npos) {
        const auto address = IpAddress::parse(host.text);
        if (!address || address->family != IpFamily::V4) {
            diagnostics.error(code::bad_address, host.at(0), fmt::format("'{}' is not an IPv4 address", host.text));
            return std::nullopt;
        }
        const int length = prefix.value_or(32);
        // Host bits outside the mask: Windows matches `addr & mask` (§8.2),
        // so storing the network address keeps the meaning; warn, since the
        // UI would have refused it (E18) and it may be a typo.
        if (address->has_host_bits(length)) {
            diagnostics.warning(code::host_bits, host.at(0),
                                fmt::format("'{}' has bits outside its mask /{}; Windows compares masked addresses, "
                                            "so this is the subnet {}/{}",
                                            host.text, length, address->masked(length).to_string(), length));
        }
        if (length == 0) return FilterAddress::any();
        auto a = FilterAddress::specific(address->masked(length), length);
        a.mask_given = prefix.has_value();
        return a;
    }
    if (valid_dns_name(host.text)) {
        FilterAddress a = FilterAddress::of_kind(AddressKind::DnsName);
        a.dns_name = host.text;
        a.prefix_length = prefix.value_or(32);
        a.mask_given = prefix.has_value();
        diagnostics.warning(code::dns_name, host.at(0),
                            fmt::format("'{}' is a DNS name: Windows resolved it when the command ran (dynamic mode "
                                        "used only the first address); winipsec resolves it when translating, which "
                                        "may give other addresses",
                                        host.text));
        return a;
    }
    diagnostics.error(code::bad_address, host.at(0),
                      fmt::format("'{}' is not an address: use 0 (this computer), * (any), an IPv4 address with an "
                                  "optional /mask, wildcard octets (10.1.*.*) or a DNS name",
                                  host.text));
    return std::nullopt;
}

std::optional<FilterAddress> parse_tunnel_endpoint(const Word& word, Diagnostics& diagnostics) {
    if (word.text.find_first_not_of("0123456789.") == std::string::npos) {
        const auto address = IpAddress::parse(word.text);
        if (address && address->family == IpFamily::V4 && address->v4_value() != 0)
            return FilterAddress::specific(*address, 32);
    } else if (valid_dns_name(word.text)) {
        FilterAddress a = FilterAddress::of_kind(AddressKind::DnsName);
        a.dns_name = word.text;
        diagnostics.warning(code::dns_name, word.at(0),
                            fmt::format("tunnel endpoint '{}' is a DNS name: Windows resolved it when the command "
                                        "ran; winipsec resolves it when translating",
                                        word.text));
        return a;
    }
    diagnostics.error(
        code::bad_tunnel, word.at(0),
        fmt::format("'{}' is not a tunnel endpoint: give the remote gateway's IPv4 address or DNS name", word.text));
    return std::nullopt;
}

std::optional<FilterSpec> parse_filter_spec(const Word& word, Diagnostics& diagnostics) {
    return parse_spec(word, false, diagnostics);
}

std::optional<std::vector<FilterSpec>> parse_filter_list(const std::vector<Word>& values, Diagnostics& diagnostics) {
    std::vector<Word> words;
    for (const auto& v : values)
        for (auto& w : split_blanks(v)) words.push_back(std::move(w));

    std::vector<FilterSpec> specs;
    bool ok = true;
    std::size_t i = 0;
    while (i < words.size()) {
        // A spec is one word; blanks inside it (KB 813878's template
        // `*=0: PortNumber: Protocol`, or `[*=0: PortNumber: Protocol]`)
        // split it into several. Group those words so that one error names
        // the first stray one instead of three unrelated complaints.
        const Word& first = words[i];
        const char opener = first.text.empty() ? '\0' : first.text.front();
        const char closer = opener == '[' ? ']' : opener == '(' ? ')' : '\0';
        bool open = closer != '\0' && !(first.size() > 1 && first.text.back() == closer);
        bool dangling = first.text.ends_with(':');
        std::size_t j = i + 1;
        while (j < words.size()) {
            const Word& w = words[j];
            if (open) {
                if (!w.text.empty() && w.text.back() == closer) open = false;
                dangling = false;
            } else if (dangling && !has_direction(w.text) && !iequals(w.text, "DEFAULT")) {
                dangling = w.text.ends_with(':');
            } else {
                break;
            }
            ++j;
        }
        const bool split_by_blanks = j > i + 1;
        auto spec = parse_spec(first, split_by_blanks, diagnostics);
        if (!spec) {
            ok = false;
        } else if (split_by_blanks) {
            const Word& stray = words[i + 1];
            std::string message = fmt::format(
                "'{}' continues the filter spec '{}' after a blank; a filter spec "
                "contains no blanks (blanks separate specs)",
                stray.text, first.text);
            if (is_letter_word(stray.text))
                message += fmt::format(
                    ". '{}' looks like a placeholder from a documentation template (KB 813878 "
                    "writes '*=0: PortNumber: Protocol'): put the real port and protocol there, "
                    "e.g. *=0:1434:UDP",
                    stray.text);
            diagnostics.error(code::filter_space, stray.at(0), std::move(message));
            ok = false;
        } else {
            specs.push_back(std::move(*spec));
        }
        i = j;
    }
    if (ok && specs.size() > 1)
        for (const auto& spec : specs)
            if (spec.kind == SpecKind::Default) {
                diagnostics.error(code::default_mixed, spec.word.at(0),
                                  "DEFAULT configures the default response rule and stands alone: give it in its own "
                                  "invocation, without other filter specs");
                ok = false;
                break;
            }
    if (!ok) return std::nullopt;
    return specs;
}

}  // namespace winipsec::ipseccmd
