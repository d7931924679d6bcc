// SPDX-License-Identifier: Apache-2.0
// Fixture corpus tests/data/zigbee: every good file is valid, every malformed one is invalid
// with an error naming a field. DISABLED_Regenerate rewrites the corpus (run it explicitly
// with --gtest_also_run_disabled_tests --gtest_filter='*Regenerate*'; keys are kept).
#include "core/zigbee/ota_inspect.h"
#include "core/zigbee/ota_signature.h"
#include "zigbee_test_support.h"

#include <QDir>
#include <QFile>
#include <gtest/gtest.h>

#include <map>

namespace otalab::core::zigbee {
namespace {

using crypto::KeyType;
using crypto::PKey;
using test::putLe;

const QString kDir = QStringLiteral(OTALAB_TEST_DATA_DIR "/zigbee");

// First error field and offset (-1: not checked) each malformed fixture must report (see tests/data/zigbee/README.md).
const std::map<QString, std::pair<QString, qint64>>& expectedErrors()
{
    static const std::map<QString, std::pair<QString, qint64>> m = {
        {QStringLiteral("wrong_magic.ota"), {QStringLiteral("header.identifier"), 0}},
        {QStringLiteral("truncated_header.ota"), {QStringLiteral("header.headerString"), 20}},
        {QStringLiteral("unknown_header_version.ota"), {QStringLiteral("header.headerVersion"), 4}},
        {QStringLiteral("header_length_out_of_range.ota"), {QStringLiteral("header.headerLength"), 6}},
        {QStringLiteral("header_length_vs_field_control.ota"), {QStringLiteral("header.headerLength"), 6}},
        {QStringLiteral("total_size_larger_than_file.ota"), {QStringLiteral("header.totalImageSize"), 52}},
        {QStringLiteral("total_size_smaller_than_header.ota"), {QStringLiteral("header.totalImageSize"), 52}},
        {QStringLiteral("element_length_past_end.ota"), {QStringLiteral("element[0].length"), 58}},
        {QStringLiteral("element_overlaps_trailing.ota"), {QStringLiteral("element[0].length"), 58}},
        {QStringLiteral("zero_length_element.ota"), {QStringLiteral("element[1].length"), 80}},
        {QStringLiteral("duplicate_integrity_code.ota"), {QStringLiteral("element[2]"), 100}},
        {QStringLiteral("truncated_element_header.ota"), {QStringLiteral("element[1]"), 262}},
        {QStringLiteral("hardware_range_inverted.ota"), {QStringLiteral("header.maximumHardwareVersion"), 58}},
        {QStringLiteral("integrity_mismatch.ota"), {QStringLiteral("element[1].data"), 268}},
        {QStringLiteral("signature_not_last.ota"), {QStringLiteral("element[1]"), 78}},
        {QStringLiteral("signature_tampered_cs1.ota"), {QStringLiteral("element[2].data"), -1}},
        {QStringLiteral("signature_tampered_cs2.ota"), {QStringLiteral("element[2].data"), -1}},
        {QStringLiteral("certificate_subject_mismatch.ota"), {QStringLiteral("element[1].data.subject"), -1}},
    };
    return m;
}

image::VerifyOptions corpusKeys()
{
    image::VerifyOptions o;
    for (const char* name : {"cs1_public.pem", "cs2_public.pem"}) {
        auto k = PKey::fromFile(kDir + QStringLiteral("/keys/") + QLatin1String(name));
        EXPECT_TRUE(k.has_value()) << name;
        if (k)
            o.verificationKeys.push_back(*k);
    }
    return o;
}

QByteArray read(const QString& path)
{
    QFile f(path);
    EXPECT_TRUE(f.open(QIODevice::ReadOnly)) << path.toStdString();
    return f.readAll();
}

TEST(ZigbeeCorpus, GoodFilesAreValid)
{
    const image::VerifyOptions keys = corpusKeys();
    const QStringList files = QDir(kDir + QStringLiteral("/good")).entryList({QStringLiteral("*.ota")}, QDir::Files);
    ASSERT_GE(files.size(), 8);
    for (const QString& name : files) {
        SCOPED_TRACE(name.toStdString());
        const image::Inspection i = inspectOtaFile(read(kDir + QStringLiteral("/good/") + name), keys);
        EXPECT_TRUE(i.isValid()) << (i.firstError() ? i.firstError()->message.toStdString() : i.signature.detail.toStdString());
        EXPECT_NE(i.signature.state, image::CheckState::Unchecked);  // keys cover every signed fixture
        if (name.startsWith(QStringLiteral("signed_"))) {
            EXPECT_EQ(i.signature.state, image::CheckState::Valid);
        }
        if (name.startsWith(QStringLiteral("integrity_"))) {
            EXPECT_EQ(i.integrity.state, image::CheckState::Valid);
            // integrity_<convention>.ota is verified under that convention's name.
            const QString convention = name.mid(10).chopped(4).replace(QLatin1Char('_'), QLatin1Char('-'));
            EXPECT_TRUE(i.integrity.detail.contains(convention + QStringLiteral(" convention"))) << i.integrity.detail.toStdString();
        }
    }
}

TEST(ZigbeeCorpus, MalformedFilesAreInvalidWithTheFieldNamed)
{
    const image::VerifyOptions keys = corpusKeys();
    const QStringList files = QDir(kDir + QStringLiteral("/malformed")).entryList({QStringLiteral("*.ota")}, QDir::Files);
    ASSERT_EQ(size_t(files.size()), expectedErrors().size());
    for (const QString& name : files) {
        SCOPED_TRACE(name.toStdString());
        const image::Inspection i = inspectOtaFile(read(kDir + QStringLiteral("/malformed/") + name), keys);
        EXPECT_FALSE(i.isValid());
        const image::Finding* e = i.firstError();
        ASSERT_NE(e, nullptr);
        EXPECT_FALSE(e->field.isEmpty());
        EXPECT_FALSE(e->message.isEmpty());
        ASSERT_TRUE(expectedErrors().contains(name)) << "no expectation for this fixture";
        const auto& [field, offset] = expectedErrors().at(name);
        EXPECT_EQ(e->field, field) << e->message.toStdString();
        if (offset >= 0) {
            EXPECT_EQ(e->offset, offset) << e->message.toStdString();
        }
    }
}

// ---- Corpus generator (run explicitly, then commit the files) -----------------------

void write(const QString& sub, const QString& name, const QByteArray& data)
{
    QDir().mkpath(kDir + QLatin1Char('/') + sub);
    QFile f(kDir + QLatin1Char('/') + sub + QLatin1Char('/') + name);
    ASSERT_TRUE(f.open(QIODevice::WriteOnly));
    f.write(data);
}

PKey corpusKey(const char* privateName, const char* publicName, KeyType type)
{
    const QString path = kDir + QStringLiteral("/keys/") + QLatin1String(privateName);
    if (auto k = PKey::fromFile(path))
        return *k;
    PKey k = *PKey::generate(type);
    write(QStringLiteral("keys"), QLatin1String(privateName), k.privatePem());
    write(QStringLiteral("keys"), QLatin1String(publicName), k.publicPem());
    return k;
}

QByteArray build(const OtaBuildSpec& spec)
{
    auto b = buildOtaFile(spec);
    EXPECT_TRUE(b.has_value());
    return b ? *b : QByteArray();
}

QByteArray raw(const OtaFile& f)
{
    auto b = serializeOtaFile(f);
    EXPECT_TRUE(b.has_value());
    return b ? *b : QByteArray();
}

TEST(ZigbeeCorpus, DISABLED_Regenerate)
{
    const PKey cs1 = corpusKey("cs1_private.pem", "cs1_public.pem", KeyType::Sect163k1);
    const PKey cs2 = corpusKey("cs2_private.pem", "cs2_public.pem", KeyType::Sect283k1);
    const SignOptions signer{0x00124b0001020304ull, 0x5445535443410001ull};
    const QString good = QStringLiteral("good"), bad = QStringLiteral("malformed");

    OtaBuildSpec base = test::sampleSpec();
    write(good, QStringLiteral("minimal.ota"), build(base));

    OtaBuildSpec all = base;
    all.header.imageType = imagetype::SecurityCredential;
    all.header.securityCredentialVersion = 2;
    all.header.upgradeFileDestination = 0x00124b00aabbccddull;
    all.header.hardwareVersions = HardwareVersionRange{0x0100, 0x02ff};
    all.header.headerString = QByteArray(32, 'H');  // exactly 32, no NUL
    write(good, QStringLiteral("all_optional_fields.ota"), build(all));

    OtaBuildSpec ib = base;
    ib.integrityCode = IntegrityConvention::BeforeElement;
    write(good, QStringLiteral("integrity_before_element.ota"), build(ib));
    OtaBuildSpec id = base;
    id.integrityCode = IntegrityConvention::BeforeData;
    write(good, QStringLiteral("integrity_before_data.ota"), build(id));
    OtaBuildSpec iq = base;
    iq.integrityCode = IntegrityConvention::QorvoCrc32;
    write(good, QStringLiteral("integrity_qorvo_crc32.ota"), build(iq));
    // Develco's padding differs from the spec's only when 8192 bytes or more are hashed.
    OtaBuildSpec il = base;
    il.firmware = QByteArray(8192, '\0');
    for (int i = 0; i < il.firmware.size(); ++i)
        il.firmware[i] = char(i * 7 + (i >> 8));
    il.integrityCode = IntegrityConvention::DevelcoLength16;
    write(good, QStringLiteral("integrity_develco_len16.ota"), build(il));

    const QByteArray signed1 = *signOtaFile(build(ib), cs1, signer);
    const QByteArray signed2 = *signOtaFile(build(base), cs2, signer);
    write(good, QStringLiteral("signed_cs1.ota"), signed1);
    write(good, QStringLiteral("signed_cs2.ota"), signed2);

    write(good, QStringLiteral("vendor_prefix_and_trailing.ota"), QByteArray("\x00\x01NORDICHDR", 11) + build(base) + QByteArray(16, '\xff'));

    OtaFile telink;
    telink.header.manufacturerCode = 0x1141;
    telink.header.imageType = 0x0203;
    telink.header.fileVersion = 0x30013001;
    telink.header.headerString = "Telink OTA Sample Usage";
    telink.elements.push_back(SubElement{tag::TelinkAes, QByteArray(64, '\x5a'), std::array<std::uint8_t, 2>{0x01, 0x00}, -1});
    write(good, QStringLiteral("telink_f000.ota"), raw(telink));

    OtaFile extra;
    extra.header.manufacturerCode = 0x117c;
    extra.header.extraHeaderBytes = QByteArray("\x00\x00\x00\x00", 4);
    extra.elements.push_back(SubElement{tag::UpgradeImage, QByteArray(32, 'f'), std::nullopt, -1});
    write(good, QStringLiteral("extra_header_bytes.ota"), raw(extra));

    OtaBuildSpec mfr = base;
    mfr.extraElements.push_back(SubElement{0xf001, QByteArray("manufacturer blob"), std::nullopt, -1});
    mfr.extraElements.push_back(SubElement{0xffbe, QByteArray(12, '\x01'), std::nullopt, -1});
    write(good, QStringLiteral("manufacturer_elements.ota"), build(mfr));

    // Malformed.
    const QByteArray g = build(base);  // 56 header + 206 element = 262 bytes
    QByteArray b = g;
    b[0] = 0x1f;
    write(bad, QStringLiteral("wrong_magic.ota"), b);
    write(bad, QStringLiteral("truncated_header.ota"), g.left(40));
    b = g, putLe(b, 4, 0x0200, 2);
    write(bad, QStringLiteral("unknown_header_version.ota"), b);
    b = g, putLe(b, 6, 72, 2);
    write(bad, QStringLiteral("header_length_out_of_range.ota"), b);
    b = g, putLe(b, 8, fieldcontrol::HardwareVersions, 2);
    write(bad, QStringLiteral("header_length_vs_field_control.ota"), b);
    b = g, putLe(b, 52, g.size() + 64, 4);
    write(bad, QStringLiteral("total_size_larger_than_file.ota"), b);
    b = g, putLe(b, 52, 50, 4);
    write(bad, QStringLiteral("total_size_smaller_than_header.ota"), b);
    b = g, putLe(b, 58, 0x00010000, 4);
    write(bad, QStringLiteral("element_length_past_end.ota"), b);
    b = g + QByteArray(8, '\0'), putLe(b, 58, 204, 4);
    write(bad, QStringLiteral("element_overlaps_trailing.ota"), b);
    OtaFile zero;
    zero.elements.push_back(SubElement{tag::UpgradeImage, QByteArray(16, 'f'), std::nullopt, -1});
    zero.elements.push_back(SubElement{0xf002, QByteArray(), std::nullopt, -1});
    write(bad, QStringLiteral("zero_length_element.ota"), raw(zero));
    OtaFile dup;
    dup.elements.push_back(SubElement{tag::UpgradeImage, QByteArray(16, 'f'), std::nullopt, -1});
    dup.elements.push_back(SubElement{tag::IntegrityCode, QByteArray(16, '\0'), std::nullopt, -1});
    dup.elements.push_back(SubElement{tag::IntegrityCode, QByteArray(16, '\0'), std::nullopt, -1});
    write(bad, QStringLiteral("duplicate_integrity_code.ota"), raw(dup));
    b = g + QByteArray(4, '\0'), putLe(b, 52, g.size() + 4, 4);
    write(bad, QStringLiteral("truncated_element_header.ota"), b);
    OtaBuildSpec hw = base;
    hw.header.hardwareVersions = HardwareVersionRange{0x0200, 0x0300};
    b = build(hw), putLe(b, 58, 0x0100, 2);
    write(bad, QStringLiteral("hardware_range_inverted.ota"), b);
    b = build(ib);
    b[120] = char(b[120] ^ 0x10);
    write(bad, QStringLiteral("integrity_mismatch.ota"), b);
    OtaFile notLast;
    notLast.elements.push_back(SubElement{tag::UpgradeImage, QByteArray(16, 'f'), std::nullopt, -1});
    notLast.elements.push_back(SubElement{tag::SignatureCs1, QByteArray(50, '\x11'), std::nullopt, -1});
    notLast.elements.push_back(SubElement{0xf003, QByteArray(4, 'x'), std::nullopt, -1});
    write(bad, QStringLiteral("signature_not_last.ota"), raw(notLast));
    // Tampered: one firmware byte of a signed file (no integrity code, so only the signature catches it).
    b = *signOtaFile(build(base), cs1, signer);
    b[100] = char(b[100] ^ 0x01);
    write(bad, QStringLiteral("signature_tampered_cs1.ota"), b);
    b = signed2;
    b[100] = char(b[100] ^ 0x01);
    write(bad, QStringLiteral("signature_tampered_cs2.ota"), b);
    b = *signOtaFile(build(base), cs1, signer);
    b[262 + 6 + 22] = char(b[262 + 6 + 22] ^ 0xff);  // certificate subject, first byte
    write(bad, QStringLiteral("certificate_subject_mismatch.ota"), b);
}

} // namespace
} // namespace otalab::core::zigbee
