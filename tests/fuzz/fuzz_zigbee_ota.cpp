// SPDX-License-Identifier: Apache-2.0
// libFuzzer target: the Zigbee OTA parser/inspector, with and without verification keys.
#include "core/zigbee/ota_builder.h"
#include "core/zigbee/ota_inspect.h"
#include "core/zigbee/ota_parser.h"

#include <cstddef>
#include <cstdint>

namespace {

using otalab::core::crypto::KeyType;
using otalab::core::crypto::PKey;

const otalab::core::image::VerifyOptions& keys()
{
    static const otalab::core::image::VerifyOptions options = [] {
        otalab::core::image::VerifyOptions o;
        for (KeyType t : {KeyType::Sect163k1, KeyType::Sect283k1})
            if (auto k = PKey::generate(t))
                o.verificationKeys.push_back(*k);
        return o;
    }();
    return options;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const QByteArray bytes(reinterpret_cast<const char*>(data), qsizetype(size));
    (void)otalab::core::zigbee::inspectOtaFile(bytes, {});
    (void)otalab::core::zigbee::inspectOtaFile(bytes, keys());
    // Rewriting must accept exactly what the strict reader accepts, and never crash.
    if (auto file = otalab::core::zigbee::readOtaFile(bytes))
        (void)otalab::core::zigbee::serializeOtaFile(*file);
    return 0;
}
