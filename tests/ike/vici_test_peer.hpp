#pragma once
// A one-connection UNIX socket peer for the session tests: it plays a script
// of raw bytes, so the tests can send what charon never sends (oversized
// headers, garbage, a connection closed mid-reply, silence) and check that
// the session turns each into a clear error. Behaviour against the real
// charon is tested in the 'ike' suite.
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <functional>
#include <stdexcept>
#include <string>
#include <thread>

#include "ike/vici_packet.hpp"

namespace winipsec::ike::test {

class ViciTestPeer {
public:
    // Reads one segment's payload from `fd` (empty on EOF).
    static ViciBytes read_payload(int fd) {
        std::uint8_t header[4];
        if (!read_all(fd, header, 4)) return {};
        std::size_t length = (std::size_t{header[0]} << 24) | (header[1] << 16) | (header[2] << 8) | header[3];
        ViciBytes payload(length);
        if (!read_all(fd, payload.data(), length)) return {};
        return payload;
    }
    static void write_bytes(int fd, const ViciBytes& bytes) {
        if (::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL) < 0) { /* the session hung up: fine */
        }
    }
    static void write_packet(int fd, const ViciPacket& packet) { write_bytes(fd, *frame_packet(packet)); }

    explicit ViciTestPeer(std::function<void(int fd)> script) {
        char pattern[] = "/tmp/vici-peer-XXXXXX";
        if (!::mkdtemp(pattern)) throw std::runtime_error("mkdtemp failed");
        dir_ = pattern;
        path_ = dir_ + "/charon.vici";
        listener_ = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        sockaddr_un address{};
        address.sun_family = AF_UNIX;
        std::strcpy(address.sun_path, path_.c_str());
        if (::bind(listener_, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0 ||
            ::listen(listener_, 1) != 0)
            throw std::runtime_error("cannot listen on " + path_);
        thread_ = std::thread([this, script = std::move(script)] {
            int fd = ::accept(listener_, nullptr, nullptr);
            if (fd < 0) return;
            script(fd);
            ::close(fd);
        });
    }
    ~ViciTestPeer() {
        ::shutdown(listener_, SHUT_RDWR);
        thread_.join();
        ::close(listener_);
        std::filesystem::remove_all(dir_);
    }
    ViciTestPeer(const ViciTestPeer&) = delete;
    ViciTestPeer& operator=(const ViciTestPeer&) = delete;

    std::string uri() const { return "unix://" + path_; }

private:
    static bool read_all(int fd, std::uint8_t* into, std::size_t length) {
        std::size_t done = 0;
        while (done < length) {
            ssize_t got = ::recv(fd, into + done, length - done, 0);
            if (got <= 0) return false;
            done += static_cast<std::size_t>(got);
        }
        return true;
    }

    std::string dir_, path_;
    int listener_ = -1;
    std::thread thread_;
};

}  // namespace winipsec::ike::test
