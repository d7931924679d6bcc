// SPDX-License-Identifier: Apache-2.0
// Inspect + verify of a 2 MB image, per format, next to the raw hash throughput that
// bounds it (AES-MMO for Zigbee, SHA-256 for MCUboot). Compare ratios within one run:
//   build-tests/tests/bench/bench_image_verify --benchmark_repetitions=3
#include "core/crypto/pkey.h"
#include "core/image/inspection.h"
#include "core/mcuboot/image_creator.h"
#include "core/zigbee/aes_mmo.h"
#include "core/zigbee/ota_builder.h"
#include "core/zigbee/ota_signature.h"

#include <openssl/sha.h>
#include <benchmark/benchmark.h>
#include <cstdlib>
#include <random>

namespace {

using namespace otalab::core;

constexpr qsizetype kImageBytes = 2 * 1024 * 1024;

QByteArray randomFirmware()
{
    QByteArray fw(kImageBytes, '\0');
    std::mt19937 rng(2026);
    for (char& c : fw)
        c = char(rng());
    return fw;
}

crypto::PKey mustKey(crypto::KeyType type)
{
    auto key = crypto::PKey::generate(type);
    if (!key)
        std::abort();
    return *key;
}

// A signed Zigbee OTA file (integrity code + crypto suite 1 signature) and its key.
struct ZigbeeFixture {
    crypto::PKey key = mustKey(crypto::KeyType::Sect163k1);
    QByteArray file;
    ZigbeeFixture()
    {
        zigbee::OtaBuildSpec spec;
        spec.header.manufacturerCode = 0x1037;
        spec.header.imageType = 0x0101;
        spec.header.fileVersion = 0x01020304;
        spec.firmware = randomFirmware();
        spec.integrityCode = zigbee::IntegrityConvention::BeforeElement;
        auto built = zigbee::buildOtaFile(spec);
        auto signedFile = built ? zigbee::signOtaFile(*built, key, {0x000d6f0000000001ull, 0}) : built;
        if (!signedFile)
            std::abort();
        file = *signedFile;
    }
};

struct McubootFixture {
    crypto::PKey key = mustKey(crypto::KeyType::EcdsaP256);
    QByteArray file;
    McubootFixture()
    {
        mcuboot::ImageCreateOptions options;
        options.headerSize = 0x200;
        options.padHeader = true;
        options.version = *mcuboot::ImageVersion::parse(QStringLiteral("1.2.3+4"));
        options.signingKey = key;
        auto created = mcuboot::createImage(randomFirmware(), options);
        if (!created)
            std::abort();
        file = *created;
    }
};

void inspectAndVerify(benchmark::State& state, const QByteArray& file, const crypto::PKey& key)
{
    image::VerifyOptions options;
    options.verificationKeys.push_back(key);
    for (auto _ : state) {
        image::Inspection result = image::inspect(file, options);
        if (!result.isValid() || result.signature.state != image::CheckState::Valid)
            state.SkipWithError("image did not verify");
        benchmark::DoNotOptimize(result);
    }
    state.SetBytesProcessed(state.iterations() * file.size());
}

void BM_ZigbeeInspectVerify2MB(benchmark::State& state)
{
    static const ZigbeeFixture fixture;
    inspectAndVerify(state, fixture.file, fixture.key);
}
BENCHMARK(BM_ZigbeeInspectVerify2MB)->Unit(benchmark::kMillisecond);

void BM_McubootInspectVerify2MB(benchmark::State& state)
{
    static const McubootFixture fixture;
    inspectAndVerify(state, fixture.file, fixture.key);
}
BENCHMARK(BM_McubootInspectVerify2MB)->Unit(benchmark::kMillisecond);

// The floors: one pass of each hash over the same 2 MB.
void BM_AesMmo2MB(benchmark::State& state)
{
    const QByteArray data = randomFirmware();
    for (auto _ : state)
        benchmark::DoNotOptimize(zigbee::aesMmoHash(data));
    state.SetBytesProcessed(state.iterations() * data.size());
}
BENCHMARK(BM_AesMmo2MB)->Unit(benchmark::kMillisecond);

void BM_Sha256_2MB(benchmark::State& state)
{
    const QByteArray data = randomFirmware();
    for (auto _ : state)
        {
        unsigned char digest[SHA256_DIGEST_LENGTH];
        SHA256(reinterpret_cast<const unsigned char*>(data.constData()), size_t(data.size()), digest);
        benchmark::DoNotOptimize(digest);
    }
    state.SetBytesProcessed(state.iterations() * data.size());
}
BENCHMARK(BM_Sha256_2MB)->Unit(benchmark::kMillisecond);

} // namespace

BENCHMARK_MAIN();
