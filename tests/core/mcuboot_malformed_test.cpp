// SPDX-License-Identifier: Apache-2.0
// Every fixture in tests/data/mcuboot/malformed/ must be rejected with the field and
// byte offset listed in malformed/expected.tsv (README.md explains each one).
#include "core/mcuboot/image_inspect.h"
#include "core/mcuboot/image_parser.h"
#include "mcuboot_fixtures.h"

#include <QDir>
#include <gtest/gtest.h>

namespace otalab::core::mcuboot {
namespace {

using test::mcuboot::dataPath;
using test::mcuboot::readData;
using test::mcuboot::testKey;

struct Expected {
    QString file;
    QString field;
    qint64 offset = -1;
};

std::vector<Expected> expectations()
{
    std::vector<Expected> out;
    const QList<QByteArray> lines = readData(QStringLiteral("malformed/expected.tsv")).split('\n');
    for (const QByteArray& line : lines) {
        if (line.isEmpty() || line.startsWith('#'))
            continue;
        const QList<QByteArray> cols = line.split('\t');
        if (cols.size() < 3)
            continue;
        out.push_back({QString::fromUtf8(cols[0]), QString::fromUtf8(cols[1]), cols[2].toLongLong(nullptr, 16)});
    }
    return out;
}

TEST(McubootMalformed, EveryFixtureIsListedAndDocumented)
{
    const auto expected = expectations();
    ASSERT_GE(expected.size(), 15u);
    const QStringList files = QDir(dataPath(QStringLiteral("malformed"))).entryList({QStringLiteral("*.bin")}, QDir::Files);
    EXPECT_EQ(qsizetype(expected.size()), files.size());
    const QByteArray readme = readData(QStringLiteral("README.md"));
    for (const Expected& e : expected) {
        EXPECT_TRUE(files.contains(e.file)) << e.file.toStdString();
        EXPECT_TRUE(readme.contains(e.file.toUtf8())) << "README.md does not describe " << e.file.toStdString();
    }
}

TEST(McubootMalformed, InspectionReportsTheBrokenFieldAndOffset)
{
    image::VerifyOptions options;
    options.verificationKeys.push_back(testKey(QStringLiteral("ed25519.pub.pem")));
    for (const Expected& e : expectations()) {
        SCOPED_TRACE(e.file.toStdString());
        const QByteArray bytes = readData(QStringLiteral("malformed/") + e.file);
        ASSERT_FALSE(bytes.isEmpty());
        const image::Inspection ins = inspectImage(bytes, options);
        EXPECT_FALSE(ins.isValid());
        const image::Finding* f = ins.firstError();
        ASSERT_NE(f, nullptr);
        EXPECT_EQ(f->field.toStdString(), e.field.toStdString()) << f->message.toStdString();
        EXPECT_EQ(f->offset, e.offset) << f->message.toStdString();
        EXPECT_FALSE(f->message.isEmpty());
    }
}

TEST(McubootMalformed, StrictParserAgreesOnStructuralErrors)
{
    for (const Expected& e : expectations()) {
        if (e.file.startsWith(QStringLiteral("tampered")))
            continue;  // structurally fine; only the checks fail
        SCOPED_TRACE(e.file.toStdString());
        auto parsed = parseImage(readData(QStringLiteral("malformed/") + e.file));
        ASSERT_FALSE(parsed);
        EXPECT_EQ(parsed.error().field.toStdString(), e.field.toStdString());
        EXPECT_EQ(parsed.error().offset, e.offset);
    }
}

TEST(McubootMalformed, TruncationAtEveryLengthNeverCrashesAndIsRejected)
{
    const QByteArray good = readData(QStringLiteral("imgtool/ed25519-full.bin"));
    ASSERT_TRUE(parseImage(good));
    for (qsizetype n = 0; n < good.size(); ++n) {
        const QByteArray cut = good.left(n);
        EXPECT_FALSE(parseImage(cut)) << n;
        EXPECT_FALSE(inspectImage(cut, {}).isValid()) << n;
    }
}

} // namespace
} // namespace otalab::core::mcuboot
