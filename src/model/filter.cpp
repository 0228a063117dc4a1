#include "model/filter.hpp"

namespace winipsec {

std::string protocol_name(std::uint8_t p) {
    switch (p) {
        case protocol::any: return "ANY";
        case protocol::icmp: return "ICMP";
        case protocol::tcp: return "TCP";
        case protocol::udp: return "UDP";
        case protocol::raw: return "RAW";
        default: return std::to_string(p);
    }
}

}  // namespace winipsec
