#include "ike/vici_sa.hpp"

namespace winipsec::ike {
namespace {

std::string text(const ViciSection& section, std::string_view key) {
    const std::string* value = section.value(key);
    return value ? *value : std::string();
}

std::int64_t number(const ViciSection& section, std::string_view key) {
    return section.number(key).value_or(0);
}

std::vector<std::string> items(const ViciSection& section, std::string_view key) {
    const auto* list = section.list(key);
    return list ? *list : std::vector<std::string>{};
}

}  // namespace

ViciChildSa parse_child_sa(const std::string& key, const ViciSection& section) {
    ViciChildSa child;
    child.key = key;
    child.name = text(section, "name");
    child.uniqueid = number(section, "uniqueid");
    child.reqid = number(section, "reqid");
    child.state = text(section, "state");
    child.mode = text(section, "mode");
    child.protocol = text(section, "protocol");
    child.encap = section.flag("encap").value_or(false);
    child.spi_in = text(section, "spi-in");
    child.spi_out = text(section, "spi-out");
    child.encr_alg = text(section, "encr-alg");
    child.integ_alg = text(section, "integ-alg");
    child.dh_group = text(section, "dh-group");
    child.encr_keysize = number(section, "encr-keysize");
    child.bytes_in = number(section, "bytes-in");
    child.bytes_out = number(section, "bytes-out");
    child.packets_in = number(section, "packets-in");
    child.packets_out = number(section, "packets-out");
    child.rekey_time = number(section, "rekey-time");
    child.life_time = number(section, "life-time");
    child.install_time = number(section, "install-time");
    child.local_ts = items(section, "local-ts");
    child.remote_ts = items(section, "remote-ts");
    child.raw = section;
    return child;
}

ViciIkeSa parse_ike_sa(const std::string& name, const ViciSection& section) {
    ViciIkeSa sa;
    sa.name = name;
    sa.uniqueid = number(section, "uniqueid");
    sa.version = static_cast<int>(number(section, "version"));
    sa.state = text(section, "state");
    sa.local_host = text(section, "local-host");
    sa.local_port = number(section, "local-port");
    sa.local_id = text(section, "local-id");
    sa.remote_host = text(section, "remote-host");
    sa.remote_port = number(section, "remote-port");
    sa.remote_id = text(section, "remote-id");
    sa.initiator = section.flag("initiator").value_or(false);
    sa.nat_any = section.flag("nat-any").value_or(false);
    sa.initiator_spi = text(section, "initiator-spi");
    sa.responder_spi = text(section, "responder-spi");
    sa.encr_alg = text(section, "encr-alg");
    sa.integ_alg = text(section, "integ-alg");
    sa.prf_alg = text(section, "prf-alg");
    sa.dh_group = text(section, "dh-group");
    sa.encr_keysize = number(section, "encr-keysize");
    sa.established = number(section, "established");
    if (const ViciSection* children = section.section("child-sas"))
        for (const auto& entry : children->entries())
            if (entry.kind == ViciEntry::Kind::Section)
                sa.children.push_back(parse_child_sa(entry.name, entry.section));
    sa.raw = section;
    return sa;
}

std::vector<ViciIkeSa> parse_ike_sas(const ViciMessage& event) {
    std::vector<ViciIkeSa> sas;
    for (const auto& entry : event.entries())
        if (entry.kind == ViciEntry::Kind::Section) sas.push_back(parse_ike_sa(entry.name, entry.section));
    return sas;
}

}  // namespace winipsec::ike
