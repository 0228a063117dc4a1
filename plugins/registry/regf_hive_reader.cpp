#include "plugins/registry/regf_hive_reader.hpp"

#include <hivex.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <memory>

#include <fmt/format.h>

// libhivex opens hives by file name only. The bytes are already in memory
// (DecodedText::raw_bytes), so they go to an anonymous memory file whose
// /proc/self/fd path hivex can open: no temporary file on disk.
namespace winipsec::registry {
namespace {

class MemoryFile {
public:
    MemoryFile() : fd_(memfd_create("winipsec-hive", MFD_CLOEXEC)) {}
    ~MemoryFile() {
        if (fd_ >= 0) close(fd_);
    }
    MemoryFile(const MemoryFile&) = delete;
    MemoryFile& operator=(const MemoryFile&) = delete;

    bool write_all(std::string_view bytes) {
        while (!bytes.empty()) {
            const ssize_t n = write(fd_, bytes.data(), bytes.size());
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) return false;
            bytes.remove_prefix(static_cast<std::size_t>(n));
        }
        return true;
    }
    bool ok() const { return fd_ >= 0; }
    std::string path() const { return fmt::format("/proc/self/fd/{}", fd_); }

private:
    int fd_;
};

struct HiveCloser {
    void operator()(hive_h* h) const { hivex_close(h); }
};
using Hive = std::unique_ptr<hive_h, HiveCloser>;

struct FreeDeleter {
    void operator()(void* p) const { std::free(p); }
};
template <class T>
using Malloced = std::unique_ptr<T, FreeDeleter>;

// Hives nest keys a few levels deep; a corrupt one must not recurse forever.
constexpr int max_depth = 64;

class HiveWalker {
public:
    HiveWalker(hive_h* h, const std::shared_ptr<const std::string>& file, RegistryTree& tree)
        : h_(h), file_(file), tree_(tree) {}

    std::expected<void, std::string> walk(hive_node_h node, const std::string& path, int depth) {
        if (depth > max_depth) return std::unexpected(fmt::format("keys nest deeper than {} levels", max_depth));
        SourceLocation where;
        where.file = file_;
        RegistryKey& key = tree_.open(path, where);
        const Malloced<hive_value_h> values(hivex_node_values(h_, node));
        if (!values)
            return std::unexpected(fmt::format("the values of {} cannot be read: {}", path, std::strerror(errno)));
        for (const hive_value_h* v = values.get(); *v != 0; ++v) {
            const Malloced<char> name(hivex_value_key(h_, *v));
            hive_type type{};
            std::size_t length = 0;
            const Malloced<char> data(hivex_value_value(h_, *v, &type, &length));
            if (!name || !data)
                return std::unexpected(fmt::format("a value of {} cannot be read: {}", path, std::strerror(errno)));
            RegistryValue value;
            value.name = name.get();
            value.type = static_cast<std::uint32_t>(type);
            value.data.assign(data.get(), data.get() + length);
            value.where = where;
            tree_.set(key, std::move(value));
        }
        const Malloced<hive_node_h> children(hivex_node_children(h_, node));
        if (!children)
            return std::unexpected(fmt::format("the subkeys of {} cannot be read: {}", path, std::strerror(errno)));
        for (const hive_node_h* c = children.get(); *c != 0; ++c) {
            const Malloced<char> name(hivex_node_name(h_, *c));
            if (!name) return std::unexpected(fmt::format("a subkey name of {} cannot be read", path));
            if (auto r = walk(*c, path + "\\" + name.get(), depth + 1); !r) return r;
        }
        return {};
    }

private:
    hive_h* h_;
    const std::shared_ptr<const std::string>& file_;
    RegistryTree& tree_;
};

}  // namespace

bool is_regf_hive(std::string_view bytes) {
    return bytes.starts_with("regf");
}

std::expected<void, std::string> read_regf_hive(std::string_view bytes, const std::shared_ptr<const std::string>& file,
                                                RegistryTree& tree) {
    MemoryFile memory;
    if (!memory.ok() || !memory.write_all(bytes))
        return std::unexpected(fmt::format("cannot hand the hive to libhivex: {}", std::strerror(errno)));
    const Hive hive(hivex_open(memory.path().c_str(), 0));
    if (!hive) return std::unexpected(fmt::format("libhivex cannot open it: {}", std::strerror(errno)));
    const hive_node_h root = hivex_root(hive.get());
    if (root == 0) return std::unexpected("the hive has no root key");
    const Malloced<char> root_name(hivex_node_name(hive.get(), root));
    const std::string path = root_name && *root_name ? std::string(root_name.get()) : std::string("HIVE");
    return HiveWalker(hive.get(), file, tree).walk(root, path, 0);
}

}  // namespace winipsec::registry
