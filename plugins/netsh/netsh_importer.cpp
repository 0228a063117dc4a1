#include "plugins/netsh/netsh_importer.hpp"

// Placeholder importer; replaced by the real one.
namespace winipsec {
namespace {
class Placeholder final : public Importer {
public:
    std::string_view name() const override { return "netsh"; }
    int recognise(const DecodedText&) const override { return 0; }
    void import(const DecodedText&, const ImportOptions&, PolicyStore&, Diagnostics&) const override {}
};
}  // namespace

const Importer& netsh_importer() {
    static const Placeholder instance;
    return instance;
}

}  // namespace winipsec
