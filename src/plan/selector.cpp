#include "plan/selector.hpp"

#include <fmt/format.h>

#include "model/filter.hpp"

namespace winipsec::plan {
namespace {

bool port_field_contains(std::uint16_t outer, std::uint16_t inner) {
    return outer == 0 || outer == inner;
}
bool port_fields_overlap(std::uint16_t a, std::uint16_t b) {
    return a == 0 || b == 0 || a == b;
}

}  // namespace

bool Selector::matches(const Packet& p) const {
    if (!source.contains(p.source) || !destination.contains(p.destination)) return false;
    if (protocol != 0 && protocol != p.protocol) return false;
    if (p.protocol == protocol::tcp || p.protocol == protocol::udp) {
        if (source_port != 0 && source_port != p.source_port) return false;
        if (destination_port != 0 && destination_port != p.destination_port) return false;
    }
    return true;
}

bool Selector::subset_of(const Selector& o) const {
    if (!o.source.contains(source) || !o.destination.contains(destination)) return false;
    if (o.protocol != 0 && o.protocol != protocol) return false;
    // A port constraint in `o` only holds for a subset when we constrain the
    // same port (our protocol is then necessarily TCP or UDP).
    return port_field_contains(o.source_port, source_port) && port_field_contains(o.destination_port, destination_port);
}

bool Selector::overlaps(const Selector& o) const {
    if (!source.overlaps(o.source) || !destination.overlaps(o.destination)) return false;
    if (protocol != 0 && o.protocol != 0 && protocol != o.protocol) return false;
    return port_fields_overlap(source_port, o.source_port) && port_fields_overlap(destination_port, o.destination_port);
}

std::string Selector::to_string() const {
    return fmt::format("{} -> {} {} {} -> {}", source.to_string(), destination.to_string(), protocol_name(protocol),
                       source_port ? std::to_string(source_port) : "*",
                       destination_port ? std::to_string(destination_port) : "*");
}

}  // namespace winipsec::plan
