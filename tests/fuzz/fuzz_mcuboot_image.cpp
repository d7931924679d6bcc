// SPDX-License-Identifier: Apache-2.0
// libFuzzer target for the MCUboot parser, inspector, decryptor and signer. Seed
// corpus: tests/data/mcuboot (imgtool/ and malformed/).
#include "core/mcuboot/image_inspect.h"
#include "core/mcuboot/image_parser.h"
#include "core/mcuboot/image_signer.h"

#include <cstddef>
#include <cstdint>

namespace {

using otalab::core::crypto::KeyType;
using otalab::core::crypto::PKey;

struct Keys {
    PKey ecdsa = *PKey::generate(KeyType::EcdsaP256);
    PKey ed25519 = *PKey::generate(KeyType::Ed25519);
    otalab::core::image::VerifyOptions options;
    QByteArray kek = QByteArray(16, '\x5a');

    Keys()
    {
        options.verificationKeys = {ecdsa, ed25519};
        options.decryptionKey = ecdsa;
    }
};

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    static Keys keys;
    const QByteArray file(reinterpret_cast<const char*>(data), qsizetype(size));
    namespace mcuboot = otalab::core::mcuboot;
    (void)mcuboot::inspectImage(file, {});
    (void)mcuboot::inspectImage(file, keys.options);
    otalab::core::image::VerifyOptions withKek;
    withKek.decryptionKek = keys.kek;
    (void)mcuboot::inspectImage(file, withKek);
    if (auto signedImage = mcuboot::signImage(file, keys.ed25519)) {
        // A signed result must parse again and keep the input size when padded.
        if (!mcuboot::parseImage(*signedImage))
            __builtin_trap();
    }
    return 0;
}
