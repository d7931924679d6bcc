// SPDX-License-Identifier: Apache-2.0
// libFuzzer target: arbitrary bytes as a FUOTA data block (container parser and the
// device-side unpack with a fixed running image, key and flash size) and as a zstd patch.
// An accepted image must fit the flash and, for a container, hash to the header's SHA-256.
#include "core/lorawan/fuotaimage.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>

namespace {

using namespace otalab::core::lorawan;

constexpr qint64 kFlash = 64 * 1024;

QByteArray runningImage()
{
    QByteArray img(4096, '\0');
    for (int i = 0; i < img.size(); ++i)
        img[i] = char((i * 37) ^ (i >> 5));
    return img;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    static const QByteArray running = runningImage();
    static const otalab::core::crypto::PKey key = *otalab::core::crypto::PKey::generate(otalab::core::crypto::KeyType::EcdsaP256);
    const QByteArrayView input(reinterpret_cast<const char*>(data), qsizetype(size));

    auto container = parseFuotaContainer(input);
    FuotaDeviceContext device;
    device.runningImage = running;
    device.trustedKey = &key;
    device.flashCapacity = kFlash;
    device.acceptRaw = size > 0 && (data[0] & 1);
    auto image = unpackFuotaImage(input, device);
    if (image) {
        if (image->size() > kFlash)
            std::abort();
        if (container && sha256Of(*image) != container->imageSha256)
            std::abort();
        if (!container && !device.acceptRaw)
            std::abort();
    }
    if (auto patched = zstdPatchApply(running, input, kFlash); patched && patched->size() > kFlash)
        std::abort();
    return 0;
}
