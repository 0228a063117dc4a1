#include "cli/input_options.hpp"

#include <fmt/format.h>

#include "import/format_table.hpp"

namespace winipsec::cli {

void InputOptions::add_to(CLI::App& verb) {
    std::string formats = "auto";
    for (const auto& e : format_table()) {
        formats += fmt::format("|{}", e.name);
        std::string aliases(e.aliases);
        for (std::size_t pos = 0; !aliases.empty();) {
            const auto space = aliases.find(' ', pos);
            formats += "|" + aliases.substr(pos, space - pos);
            if (space == std::string::npos) break;
            pos = space + 1;
        }
    }
    verb.add_option("--format", format, fmt::format("input format ({}); auto detects it per file", formats))
        ->default_val("auto");
    verb.add_option("-D,--define", defines,
                    "NAME=VALUE for a batch variable (%NAME%, %%i as i, %1 as 1); wins over `set` in the script")
        ->type_name("NAME=VALUE");
    verb.add_option("--encoding", encoding,
                    "force the input encoding (any iconv name: UTF-8, UTF-16LE, GBK, CP1252...); default detects "
                    "BOM, UTF-8, UTF-16, else GBK");
    verb.add_option("FILE", files, "Windows policy files, applied in order")->required();
}

std::expected<InputSpec, Error> InputOptions::to_spec() const {
    InputSpec spec;
    spec.paths = files;
    spec.format = format;
    if (!encoding.empty()) spec.options.encoding = encoding;
    for (const auto& d : defines) {
        const auto eq = d.find('=');
        if (eq == std::string::npos || eq == 0)
            return std::unexpected(Error::usage(fmt::format("--define '{}': expected NAME=VALUE", d)));
        spec.options.defines[d.substr(0, eq)] = d.substr(eq + 1);
    }
    return spec;
}

}  // namespace winipsec::cli
