// SPDX-License-Identifier: Apache-2.0
// Builder ↔ parser round trips and builder validation.
#include "core/zigbee/ota_builder.h"
#include "core/zigbee/ota_parser.h"
#include "zigbee_test_support.h"

#include <gtest/gtest.h>

#include <random>

namespace otalab::core::zigbee {
namespace {

OtaHeader randomHeader(std::mt19937& rng)
{
    auto bits = [&](int n) { return std::uint32_t(rng()) & ((n == 32) ? 0xffffffffu : ((1u << n) - 1)); };
    OtaHeader h;
    h.manufacturerCode = std::uint16_t(bits(16));
    do
        h.imageType = std::uint16_t(bits(16));
    while (imagetype::isDeviceSpecific(h.imageType));
    h.fileVersion = bits(32);
    h.stackVersion = std::uint16_t(bits(2));
    const int textLength = int(bits(6)) % 33;
    for (int i = 0; i < textLength; ++i)
        h.headerString.append(char('A' + bits(5) % 26));
    if (bits(1))
        h.securityCredentialVersion = std::uint8_t(bits(8));
    if (bits(1))
        h.upgradeFileDestination = (std::uint64_t(bits(32)) << 32) | bits(32);
    if (bits(1)) {
        const std::uint16_t a = std::uint16_t(bits(16)), b = std::uint16_t(bits(16));
        h.hardwareVersions = HardwareVersionRange{std::min(a, b), std::max(a, b)};
    }
    return h;
}

// Property: build → parse yields the same header fields and elements, no findings, and the
// computed header length / field control / total size agree with the spec's rules.
TEST(ZigbeeBuilder, RandomHeadersRoundTrip)
{
    std::mt19937 rng(20240519);
    for (int round = 0; round < 400; ++round) {
        SCOPED_TRACE(round);
        OtaBuildSpec spec;
        spec.header = randomHeader(rng);
        spec.firmware = QByteArray(int(rng() % 300) + 1, char(round));
        const int extras = int(rng() % 3);
        for (int i = 0; i < extras; ++i)
            spec.extraElements.push_back(SubElement{std::uint16_t(0xf001 + i), QByteArray(int(rng() % 20) + 1, 'x'), std::nullopt, -1});
        if (rng() % 2)
            spec.integrityCode = rng() % 2 ? IntegrityConvention::BeforeElement : IntegrityConvention::BeforeData;
        auto bytes = buildOtaFile(spec);
        ASSERT_TRUE(bytes.has_value()) << bytes.error().toString().toStdString();
        const OtaParseResult parsed = parseOtaFile(*bytes);
        ASSERT_TRUE(parsed.findings.empty()) << parsed.findings.front().message.toStdString();
        const OtaHeader& h = parsed.file.header;
        OtaHeader expected = spec.header;
        expected.headerLength = std::uint16_t(expected.knownFieldsSize());
        expected.fieldControl = std::uint16_t((expected.securityCredentialVersion ? 1 : 0) | (expected.upgradeFileDestination ? 2 : 0)
                                              | (expected.hardwareVersions ? 4 : 0));
        expected.totalImageSize = std::uint32_t(bytes->size());
        EXPECT_EQ(h, expected);
        ASSERT_EQ(parsed.file.elements.size(), size_t(1 + extras + (spec.integrityCode ? 1 : 0)));
        EXPECT_EQ(parsed.file.elements[0].tag, tag::UpgradeImage);
        EXPECT_EQ(parsed.file.elements[0].data, spec.firmware);
        EXPECT_EQ(parsed.file.elements[0].offset, expected.headerLength);
        for (int i = 0; i < extras; ++i)
            EXPECT_EQ(parsed.file.elements[1 + i], spec.extraElements[i]);
        // Serializing the parsed model gives the same bytes back.
        auto again = serializeOtaFile(parsed.file);
        ASSERT_TRUE(again.has_value());
        EXPECT_EQ(*again, *bytes);
    }
}

TEST(ZigbeeBuilder, ComputesHeaderLengthAndTotalSize)
{
    OtaBuildSpec spec = test::sampleSpec();
    spec.header.securityCredentialVersion = 1;
    spec.header.upgradeFileDestination = 0x0011223344556677ull;
    spec.header.hardwareVersions = HardwareVersionRange{0x0100, 0x0200};
    auto bytes = buildOtaFile(spec);
    ASSERT_TRUE(bytes.has_value());
    EXPECT_EQ(bytes->size(), 69 + 6 + 200);
    EXPECT_EQ(QByteArrayView(*bytes).first(10).toByteArray().toHex(), QByteArray("1ef1ee0b000145000700"));
    const OtaParseResult parsed = parseOtaFile(*bytes);
    EXPECT_EQ(parsed.file.header.totalImageSize, 275u);
    EXPECT_EQ(parsed.file.header.upgradeFileDestination, 0x0011223344556677ull);
    // Destination on the wire little-endian right after the credential version byte.
    EXPECT_EQ(bytes->mid(57, 8).toHex(), QByteArray("7766554433221100"));
}

TEST(ZigbeeBuilder, DeviceSpecificImageTypesNeedADestination)
{
    for (std::uint16_t type : {imagetype::SecurityCredential, imagetype::Configuration, imagetype::Log}) {
        OtaBuildSpec spec = test::sampleSpec();
        spec.header.imageType = type;
        EXPECT_FALSE(buildOtaFile(spec).has_value());
        spec.header.upgradeFileDestination = 0x1122334455667788ull;
        auto bytes = buildOtaFile(spec);
        ASSERT_TRUE(bytes.has_value());
        EXPECT_EQ(std::uint8_t((*bytes)[8]) & fieldcontrol::DeviceSpecificFile, fieldcontrol::DeviceSpecificFile);
    }
}

TEST(ZigbeeBuilder, RejectsBadInputs)
{
    OtaBuildSpec spec = test::sampleSpec();
    spec.header.headerString = QByteArray(33, 'x');
    EXPECT_FALSE(buildOtaFile(spec).has_value());

    spec = test::sampleSpec();
    spec.header.hardwareVersions = HardwareVersionRange{0x0300, 0x0200};
    EXPECT_FALSE(buildOtaFile(spec).has_value());

    spec = test::sampleSpec();
    spec.extraElements.push_back(SubElement{tag::SignatureCs1, QByteArray(50, 'x'), std::nullopt, -1});
    EXPECT_FALSE(buildOtaFile(spec).has_value());

    spec = test::sampleSpec();
    spec.extraElements.push_back(SubElement{0xf001, QByteArray(), std::nullopt, -1});
    EXPECT_FALSE(buildOtaFile(spec).has_value());

    spec = test::sampleSpec();
    spec.firmware.clear();
    EXPECT_FALSE(buildOtaFile(spec).has_value());
}

TEST(ZigbeeBuilder, KeepsReservedFieldControlBitsAndExtraHeaderBytes)
{
    OtaFile file;
    file.header.fieldControl = 0x0100;
    file.header.extraHeaderBytes = QByteArray("\xAA\xBB", 2);
    file.elements.push_back(SubElement{tag::UpgradeImage, QByteArray("fw"), std::nullopt, -1});
    auto bytes = serializeOtaFile(file);
    ASSERT_TRUE(bytes.has_value());
    const OtaParseResult parsed = parseOtaFile(*bytes);
    EXPECT_EQ(parsed.file.header.headerLength, 58);
    EXPECT_EQ(parsed.file.header.fieldControl, 0x0100);
    EXPECT_EQ(parsed.file.header.extraHeaderBytes, file.header.extraHeaderBytes);
    EXPECT_EQ(parsed.file.elements.front().offset, 58);
}

} // namespace
} // namespace otalab::core::zigbee
