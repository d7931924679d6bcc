// SPDX-License-Identifier: Apache-2.0
// Reading a capture with a real peer: Wireshark's tshark (Debian's package, installed by
// packaging/install-deps.sh). Tests skip when it is not on PATH.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <unistd.h>

namespace otalab::sim::test {

inline bool tsharkAvailable()
{
    return std::system("command -v tshark >/dev/null 2>&1") == 0;
}

// Writes `pcap` (a whole libpcap file) to a temporary file, runs `tshark -r FILE ARGS` and
// returns what it printed on stdout (empty when it could not run). The file is removed.
inline std::string tsharkRead(const std::string& pcap, const std::string& args)
{
    const std::filesystem::path path =
        std::filesystem::temp_directory_path() / ("otalab_tshark_" + std::to_string(::getpid()) + ".pcap");
    {
        std::ofstream file(path, std::ios::binary);
        file.write(pcap.data(), static_cast<std::streamsize>(pcap.size()));
    }
    const std::string command = "tshark -r '" + path.string() + "' " + args + " 2>/dev/null";
    std::string text;
    if (FILE* pipe = ::popen(command.c_str(), "r")) {
        char buffer[4096];
        std::size_t got = 0;
        while ((got = std::fread(buffer, 1, sizeof buffer, pipe)) > 0)
            text.append(buffer, got);
        ::pclose(pipe);
    }
    std::filesystem::remove(path);
    return text;
}

} // namespace otalab::sim::test
