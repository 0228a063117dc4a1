#include "plugins/ipseccmd/ipseccmd_negotiation.hpp"

#include <cctype>

#include <fmt/format.h>

#include "plugins/ipseccmd/ipseccmd_codes.hpp"

namespace winipsec::ipseccmd {

namespace {

std::vector<Word> blank_separated(const std::vector<Word>& values) {
    std::vector<Word> words;
    for (const auto& v : values)
        for (auto& w : split_blanks(v)) words.push_back(std::move(w));
    return words;
}

std::optional<Cipher> cipher_of(std::string_view text) {
    const std::string u = ascii_upper(text);
    if (u == "DES") return Cipher::Des;
    if (u == "3DES") return Cipher::TripleDes;
    if (u == "NONE") return Cipher::None;
    return std::nullopt;
}

std::optional<Integrity> hash_of(std::string_view text) {
    const std::string u = ascii_upper(text);
    if (u == "MD5") return Integrity::Md5;
    if (u == "SHA" || u == "SHA1") return Integrity::Sha1;  // "SHA" is SHA-1 (tool help)
    if (u == "NONE") return Integrity::None;
    return std::nullopt;
}

// Reads one quick-mode word left to right, reporting at the exact character.
class OfferReader {
public:
    OfferReader(const Word& word, Diagnostics& diagnostics) : w_(word), d_(diagnostics) {}

    bool at_end() const { return i_ >= w_.size(); }
    bool peek(std::string_view keyword) const { return istarts_with(std::string_view(w_.text).substr(i_), keyword); }
    bool eat(std::string_view keyword) {
        if (!peek(keyword)) return false;
        i_ += keyword.size();
        return true;
    }
    bool peek_digit() const { return !at_end() && std::isdigit(static_cast<unsigned char>(w_.text[i_])); }

    bool fail(std::string message) {
        d_.error(code::bad_negotiation, w_.at(i_), std::move(message));
        return false;
    }

    // "[" a { "," b } "]" -> the items
    std::optional<std::vector<Word>> bracket_items() {
        if (!eat("[")) {
            fail(fmt::format("expected '[' in '{}'", w_.text));
            return std::nullopt;
        }
        const auto close = w_.text.find(']', i_);
        if (close == std::string::npos) {
            fail(fmt::format("'{}' has no closing ']'", w_.text));
            return std::nullopt;
        }
        std::vector<Word> items;
        std::size_t start = i_;
        for (std::size_t k = i_; k <= close; ++k)
            if (k == close || w_.text[k] == ',') {
                items.push_back(w_.slice(start, k - start));
                start = k + 1;
            }
        i_ = close + 1;
        return items;
    }

    bool read_ah(QuickModeOffer& offer) {
        const std::size_t at = i_;
        const auto items = bracket_items();
        if (!items) return false;
        if (items->size() != 1) return fail_at(at, "AH takes one hash: AH[MD5] or AH[SHA1]");
        const auto hash = hash_of((*items)[0].text);
        if (!hash || *hash == Integrity::None)
            return fail_at((*items)[0], fmt::format("'{}' is not an AH hash: write MD5 or SHA1", (*items)[0].text));
        offer.ah = *hash;
        return true;
    }

    // ESP[conf,auth]; ESP[auth,conf] is accepted too: third-party scripts
    // write ESP[SHA,3DES] (spec §6.3).
    bool read_esp(QuickModeOffer& offer) {
        const std::size_t at = i_;
        const auto items = bracket_items();
        if (!items) return false;
        if (items->size() != 2)
            return fail_at(at, "ESP takes an encryption and an integrity algorithm: ESP[3DES,SHA1]");
        const Word& a = (*items)[0];
        const Word& b = (*items)[1];
        const bool a_none = iequals(a.text, "NONE"), b_none = iequals(b.text, "NONE");
        const bool a_cipher = cipher_of(a.text) && !a_none, b_cipher = cipher_of(b.text) && !b_none;
        const bool a_hash = hash_of(a.text) && !a_none, b_hash = hash_of(b.text) && !b_none;
        EspTransform esp;
        if ((a_cipher || a_none) && (b_hash || b_none)) {
            esp = {*cipher_of(a.text), *hash_of(b.text)};
        } else if ((a_hash || a_none) && (b_cipher || b_none)) {
            esp = {*cipher_of(b.text), *hash_of(a.text)};
        } else {
            const Word& bad = (a_cipher || a_hash || a_none) ? b : a;
            return fail_at(bad, fmt::format("'{}' in ESP[{},{}]: the encryption is DES, 3DES or NONE and the integrity "
                                            "MD5, SHA, SHA1 or NONE",
                                            bad.text, a.text, b.text));
        }
        if (esp.cipher == Cipher::None && esp.integrity == Integrity::None) {
            d_.error(code::esp_none, w_.at(at),
                     "ESP[NONE,NONE] protects nothing (neither encryption nor integrity); Windows rejects it -- give "
                     "at least one algorithm");
            return false;
        }
        offer.esp = esp;
        return true;
    }

    // number(K|S) [ "/" number(K|S) ]
    bool read_rekey(QuickModeOffer& offer) {
        bool seen_k = false, seen_s = false;
        for (int part = 0; part < 2; ++part) {
            const std::size_t start = i_;
            while (peek_digit()) ++i_;
            const auto n = parse_number(std::string_view(w_.text).substr(start, i_ - start));
            if (!n)
                return fail_at(start,
                               fmt::format("expected a number of kilobytes (K) or seconds (S) in '{}'", w_.text));
            if (eat("K") && !seen_k) {
                seen_k = true;
                offer.lifetime_kbytes = *n;
            } else if (eat("S") && !seen_s) {
                seen_s = true;
                offer.lifetime_seconds = *n;
            } else {
                return fail(
                    fmt::format("expected K (kilobytes) or S (seconds) after {}, each at most once "
                                "(e.g. 3600S/100000K)",
                                *n));
            }
            if (!eat("/")) break;
        }
        return true;
    }

    // PFS, PFS1, PFS2, PFS3 [I]. The model has one PFS flag per filter
    // action (netsh qmpfs), so a group number, and PFS on only some offers,
    // cannot be kept: PFS is turned on for the action and a group warns.
    bool read_pfs(bool& pfs) {
        const std::size_t at = i_;
        if (!eat("PFS")) return fail("expected PFS");
        pfs = true;
        if (peek_digit()) {
            const char g = w_.text[i_++];
            if (g < '1' || g > '3') return fail_at(at, "PFS takes group 1, 2 or 3 (PFS, PFS1, PFS2)");
            d_.warning(code::pfs_group, w_.at(at),
                       fmt::format("quick-mode PFS with group {} is kept only as 'PFS on' for the whole filter action; "
                                   "winipsec uses the main-mode group for PFS (as netsh qmpfs does)",
                                   g));
        }
        return true;
    }

    std::size_t position() const { return i_; }
    const Word& word() const { return w_; }

private:
    bool fail_at(std::size_t at, std::string message) {
        d_.error(code::bad_negotiation, w_.at(at), std::move(message));
        return false;
    }
    bool fail_at(const Word& part, std::string message) {
        d_.error(code::bad_negotiation, part.at(0), std::move(message));
        return false;
    }

    const Word& w_;
    Diagnostics& d_;
    std::size_t i_ = 0;
};

// Whatever may follow an offer inside the same word: [":"] [rekey] [PFS[n]].
bool read_offer_tail(OfferReader& r, QuickModeOffer& offer, bool& pfs) {
    r.eat(":");
    if (r.peek_digit() && !r.read_rekey(offer)) return false;
    if (r.peek("PFS") && !r.read_pfs(pfs)) return false;
    if (!r.at_end())
        return r.fail(fmt::format("unexpected '{}' in '{}'", r.word().text.substr(r.position()), r.word().text));
    return true;
}

}  // namespace

std::optional<NegotiationPolicy> parse_negotiation_list(const std::vector<Word>& values, Diagnostics& diagnostics) {
    const auto words = blank_separated(values);
    NegotiationPolicy policy;
    const std::size_t errors_before = diagnostics.error_count();
    for (const auto& w : words) {
        const std::string u = ascii_upper(w.text);
        if (u == "BLOCK" || u == "PASS") {
            if (words.size() > 1) {
                diagnostics.error(code::bad_negotiation, w.at(0),
                                  fmt::format("{} stands alone in -n: it is an action, not an offer", u));
                return std::nullopt;
            }
            policy.action = u == "BLOCK" ? ActionKind::Block : ActionKind::Permit;
            return policy;
        }
    }
    bool pfs = false;
    for (const auto& w : words) {
        if (iequals(w.text, "INPASS")) {
            // INPASS with offers is read as "negotiate these, accept clear
            // inbound" [I]; the grammar (§6.3) only shows it alone.
            policy.inbound_passthrough = true;
            continue;
        }
        OfferReader r(w, diagnostics);
        if (r.peek("AH[")) {
            QuickModeOffer offer;
            r.eat("AH");
            if (!r.read_ah(offer)) continue;
            if (r.eat("+")) {
                if (!r.eat("ESP")) {
                    r.fail("after AH[..]+ comes ESP[conf,auth]");
                    continue;
                }
                if (!r.read_esp(offer)) continue;
            }
            if (read_offer_tail(r, offer, pfs)) policy.offers.push_back(offer);
        } else if (r.peek("ESP[")) {
            QuickModeOffer offer;
            r.eat("ESP");
            if (!r.read_esp(offer)) continue;
            if (r.peek("+AH")) {
                r.fail("write AH first: AH[hash]+ESP[conf,auth]");
                continue;
            }
            if (read_offer_tail(r, offer, pfs)) policy.offers.push_back(offer);
        } else if (r.peek_digit() || r.peek("PFS")) {
            // A rekey or PFS written as its own word: it belongs to the offer before it.
            if (policy.offers.empty()) {
                r.fail(
                    fmt::format("'{}' comes before any offer; it qualifies the ESP[..] or AH[..] before it", w.text));
                continue;
            }
            QuickModeOffer& offer = policy.offers.back();
            if (r.peek_digit() && (offer.lifetime_kbytes || offer.lifetime_seconds)) {
                r.fail(fmt::format("the offer before '{}' already has a rekey", w.text));
                continue;
            }
            if (r.peek_digit() && !r.read_rekey(offer)) continue;
            if (r.peek("PFS") && !r.read_pfs(pfs)) continue;
            if (!r.at_end()) r.fail(fmt::format("unexpected '{}' in '{}'", w.text.substr(r.position()), w.text));
        } else {
            diagnostics.error(code::bad_negotiation, w.at(0),
                              fmt::format("'{}' is not a negotiation policy: write BLOCK, PASS, INPASS or offers such "
                                          "as ESP[3DES,SHA1] AH[MD5]+ESP[DES,NONE] 3600S/100000K PFS",
                                          w.text));
        }
    }
    if (diagnostics.error_count() > errors_before) return std::nullopt;
    policy.quick_mode_pfs = pfs;
    return policy;
}

std::optional<std::vector<AuthMethod>> parse_auth_list(const std::vector<Word>& values, Diagnostics& diagnostics) {
    std::vector<AuthMethod> methods;
    const std::size_t errors_before = diagnostics.error_count();
    // One method per argument: a quoted key may contain blanks (`PRESHARE:"my key"`).
    for (const auto& w : values) {
        const auto colon = w.text.find(':');
        const std::string keyword = ascii_upper(std::string_view(w.text).substr(0, colon));
        const bool has_value = colon != std::string::npos;
        const std::string value = has_value ? w.text.substr(colon + 1) : std::string();
        AuthMethod method;
        method.where = w.at(0);
        // Abbreviations: scripts write p:"key" (corpus #21) [I: any prefix].
        auto is = [&](std::string_view full) { return !keyword.empty() && full.starts_with(keyword); };
        if (is("KERBEROS")) {
            if (has_value) {
                diagnostics.error(code::bad_auth, w.at(colon), "KERBEROS takes no value");
                continue;
            }
            method.kind = AuthKind::Kerberos;
        } else if (is("PRESHARE")) {
            if (value.empty()) {
                diagnostics.error(code::bad_auth, w.at(has_value ? colon : 0),
                                  "a pre-shared key needs its value: PRESHARE:\"key\"");
                continue;
            }
            method.kind = AuthKind::PresharedKey;
            method.preshared_key = Secret(value);
        } else if (is("CERT")) {
            if (value.empty()) {
                diagnostics.error(code::bad_auth, w.at(has_value ? colon : 0),
                                  "certificate authentication needs the root CA's name: CERT:\"CN=...\"");
                continue;
            }
            method.kind = AuthKind::Certificate;
            method.certificate_ca = value;
        } else {
            diagnostics.error(code::bad_auth, w.at(0),
                              fmt::format("'{}' is not an authentication method: write KERBEROS, PRESHARE:\"key\" or "
                                          "CERT:\"CA name\"",
                                          has_value ? w.text.substr(0, colon) : w.text));
            continue;
        }
        methods.push_back(std::move(method));
    }
    if (diagnostics.error_count() > errors_before) return std::nullopt;
    return methods;
}

std::optional<std::vector<MainModeOffer>> parse_main_mode_list(const std::vector<Word>& values,
                                                               Diagnostics& diagnostics) {
    std::vector<MainModeOffer> offers;
    const std::size_t errors_before = diagnostics.error_count();
    for (const auto& w : blank_separated(values)) {
        const auto d1 = w.text.find('-');
        const auto d2 = d1 == std::string::npos ? d1 : w.text.find('-', d1 + 1);
        if (d2 == std::string::npos || w.text.find('-', d2 + 1) != std::string::npos) {
            diagnostics.error(
                code::bad_main_mode, w.at(0),
                fmt::format("'{}' is not a main-mode method: write cipher-hash-group, e.g. 3DES-SHA-2", w.text));
            continue;
        }
        const Word c = w.slice(0, d1), h = w.slice(d1 + 1, d2 - d1 - 1), g = w.slice(d2 + 1);
        const auto cipher = cipher_of(c.text);
        const auto hash = hash_of(h.text);
        MainModeOffer offer;
        if (!cipher || *cipher == Cipher::None) {
            diagnostics.error(code::bad_main_mode, c.at(0),
                              fmt::format("'{}' is not a main-mode cipher: write DES or 3DES", c.text));
            continue;
        }
        if (!hash || *hash == Integrity::None) {
            diagnostics.error(code::bad_main_mode, h.at(0),
                              fmt::format("'{}' is not a main-mode hash: write MD5, SHA or SHA1", h.text));
            continue;
        }
        offer.cipher = *cipher;
        offer.integrity = *hash;
        // Group numbers as Windows spells them: 3 is "High (2048)" = IKE group 14 (§4.3).
        if (g.text == "1")
            offer.group = DhGroup::Modp768;
        else if (g.text == "2")
            offer.group = DhGroup::Modp1024;
        else if (g.text == "3")
            offer.group = DhGroup::Modp2048;
        else {
            diagnostics.error(code::bad_main_mode, g.at(0),
                              fmt::format("'{}' is not a Diffie-Hellman group: write 1 (768-bit), 2 (1024-bit) or 3 "
                                          "(2048-bit)",
                                          g.text));
            continue;
        }
        offers.push_back(offer);
    }
    if (diagnostics.error_count() > errors_before) return std::nullopt;
    return offers;
}

std::optional<MainModeRekey> parse_main_mode_rekey(const Word& value, Diagnostics& diagnostics) {
    MainModeRekey rekey;
    std::size_t start = 0;
    for (std::size_t i = 0; i <= value.size(); ++i) {
        if (i < value.size() && value.text[i] != '/') continue;
        const Word part = value.slice(start, i - start);
        const char unit =
            part.empty() ? '\0' : static_cast<char>(std::toupper(static_cast<unsigned char>(part.text.back())));
        const auto n =
            part.size() > 1 ? parse_number(std::string_view(part.text).substr(0, part.size() - 1)) : std::nullopt;
        if (!n || (unit != 'Q' && unit != 'S') || (unit == 'Q' && rekey.quick_modes) ||
            (unit == 'S' && rekey.seconds)) {
            diagnostics.error(code::bad_main_mode, part.at(0),
                              fmt::format("'{}' is not a main-mode rekey: write a number of quick modes (Q) and/or "
                                          "seconds (S), each at most once, e.g. 10Q/3600S",
                                          value.text));
            return std::nullopt;
        }
        (unit == 'Q' ? rekey.quick_modes : rekey.seconds) = *n;
        start = i + 1;
    }
    return rekey;
}

}  // namespace winipsec::ipseccmd
