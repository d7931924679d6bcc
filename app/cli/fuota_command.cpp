// SPDX-License-Identifier: Apache-2.0
// `fuota fragment` and `fuota decode`: a data block cut into a TS004 fragment stream
// (uncoded fragments + parity frames, v1 or v2) and any subset of such a stream back
// into the data block — or "not enough: missing N".
#include "app/cli/commands.h"
#include "core/common/bytes.h"
#include "core/lorawan/datafragment.h"
#include "core/lorawan/fragdecoder.h"
#include "core/lorawan/fragencoder.h"

#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <random>
#include <set>

namespace otalab::cli {
namespace {

using core::lorawan::DataFragment;
using core::lorawan::FecVersion;
using core::lorawan::FragDecoder;
using core::lorawan::FragEncoder;
using core::lorawan::FragSessionShape;

const QString kStreamFormat = QStringLiteral("otalab-fuota-fragments/1");

const char* kStreamHelp =
    "Stream files (PREFIX.bin): one record per frame, in transmission order: a u16\n"
    "little-endian length L, then L bytes of the TS004 DataFragment command as sent on\n"
    "FPort 201: CID 0x08 | IndexAndN u16 LE (N = frame counter in bits 0-13, FragIndex in\n"
    "bits 14-15) | FragSize bytes. Frames 1..M are the fragments (the last padded with\n"
    "zeros), frames M+1.. the parity frames. PREFIX.json describes the session: format,\n"
    "version, fragIndex, fragmentCount (M), fragmentSize, padding, imageSize, parityFrames,\n"
    "imageSha256 and per frame its counter, kind (uncoded|parity), bytes and offset.";

QString hexOf(const QByteArray& bytes)
{
    return QString::fromLatin1(bytes.toHex());
}

Result<FecVersion> versionOption(const QString& text)
{
    bool ok = false;
    const int number = text.toInt(&ok);
    if (auto v = core::lorawan::fecVersionFromNumber(ok ? number : 0))
        return *v;
    return fail(QStringLiteral("--version: '%1' is not a TS004 version (1 or 2)").arg(text));
}

// ---- fuota fragment ----

struct FragmentPlan {
    int fragmentSize = 0;
    FecVersion version = FecVersion::V2;
    std::uint32_t parityFrames = 0;
    double redundancyPercent = 0;
    std::uint8_t fragIndex = 0;
};

QJsonObject sessionJson(const FragEncoder& enc, const FragmentPlan& plan, const QByteArray& image)
{
    QJsonObject o;
    o.insert(QStringLiteral("format"), kStreamFormat);
    o.insert(QStringLiteral("version"), plan.version == FecVersion::V1 ? 1 : 2);
    o.insert(QStringLiteral("fragIndex"), plan.fragIndex);
    o.insert(QStringLiteral("fragmentCount"), static_cast<qint64>(enc.fragmentCount()));
    o.insert(QStringLiteral("fragmentSize"), enc.fragmentSize());
    o.insert(QStringLiteral("padding"), enc.padding());
    o.insert(QStringLiteral("imageSize"), image.size());
    o.insert(QStringLiteral("parityFrames"), static_cast<qint64>(plan.parityFrames));
    o.insert(QStringLiteral("redundancyPercent"), plan.redundancyPercent);
    o.insert(QStringLiteral("imageSha256"), hexOf(QCryptographicHash::hash(image, QCryptographicHash::Sha256)));
    return o;
}

int writeStream(const FragEncoder& enc, const FragmentPlan& plan, const QByteArray& image, const QString& prefix,
                CliIo& io)
{
    ByteWriter bin(Endian::Little);
    QJsonArray frames;
    const std::uint32_t total = enc.fragmentCount() + plan.parityFrames;
    for (std::uint32_t n = 1; n <= total; ++n) {
        auto command = core::lorawan::encodeDataFragment(
            DataFragment{plan.fragIndex, static_cast<std::uint16_t>(n), enc.frame(n)});
        if (!command)
            return reportError(io, command.error().toString(), ExitInvalid);
        QJsonObject f;
        f.insert(QStringLiteral("counter"), static_cast<qint64>(n));
        f.insert(QStringLiteral("kind"), n <= enc.fragmentCount() ? QStringLiteral("uncoded") : QStringLiteral("parity"));
        f.insert(QStringLiteral("bytes"), command->size());
        f.insert(QStringLiteral("offset"), bin.size());
        frames.append(f);
        bin.u16(static_cast<std::uint16_t>(command->size())).bytes(*command);
    }
    QJsonObject session = sessionJson(enc, plan, image);
    session.insert(QStringLiteral("frames"), frames);
    const QString binPath = prefix + QStringLiteral(".bin");
    const QString jsonPath = prefix + QStringLiteral(".json");
    if (auto w = writeFileAtomic(binPath, bin.data()); !w)
        return reportError(io, w.error().message, ExitIo);
    if (auto w = writeFileAtomic(jsonPath, QJsonDocument(session).toJson(QJsonDocument::Indented)); !w)
        return reportError(io, w.error().message, ExitIo);
    io.out << "TS004 v" << core::lorawan::fecVersionName(plan.version) << ": " << image.size() << " bytes in "
           << enc.fragmentCount() << " fragments of " << enc.fragmentSize() << " B (padding " << enc.padding()
           << " B) + " << plan.parityFrames << " parity frames\n"
           << "wrote " << binPath << " (" << total << " frames, " << bin.size() << " bytes) and " << jsonPath << "\n";
    io.out.flush();
    return ExitOk;
}

int fragmentCommand(const QStringList& args, CliIo& io)
{
    QCommandLineParser parser;
    const QCommandLineOption size(QStringList{QStringLiteral("s"), QStringLiteral("size")},
                                  QStringLiteral("Fragment size in bytes, 1..255 (TS004 FragSize; the max payload at "
                                                 "the data rate minus 3)."),
                                  QStringLiteral("bytes"));
    const QCommandLineOption redundancy(QStringList{QStringLiteral("r"), QStringLiteral("redundancy")},
                                        QStringLiteral("Parity frames as a percentage of the fragment count, rounded "
                                                       "up (default 10)."),
                                        QStringLiteral("percent"));
    const QCommandLineOption parity(QStringLiteral("parity"),
                                    QStringLiteral("Exact number of parity frames (instead of --redundancy)."),
                                    QStringLiteral("count"));
    const QCommandLineOption version(QStringLiteral("version"),
                                     QStringLiteral("TS004 version whose parity lines to use: 1 or 2 (required: a "
                                                    "decoder of the other version decodes wrong data)."),
                                     QStringLiteral("1|2"));
    const QCommandLineOption fragIndex(QStringLiteral("frag-index"),
                                       QStringLiteral("Fragmentation session index 0..3 written in every frame "
                                                      "(default 0)."),
                                       QStringLiteral("index"), QStringLiteral("0"));
    const QCommandLineOption out(QStringList{QStringLiteral("o"), QStringLiteral("out")},
                                 QStringLiteral("Output prefix: writes PREFIX.bin and PREFIX.json."),
                                 QStringLiteral("prefix"));
    parser.addOptions({size, redundancy, parity, version, fragIndex, out});
    parser.addPositionalArgument(QStringLiteral("image"), QStringLiteral("The data block to send (any file)."));
    if (auto stop = parseCommand(parser, args, io,
                                 QStringLiteral("Cut a data block into a TS004 fragment stream with FEC parity "
                                                "frames.\n\n")
                                     + QString::fromLatin1(kStreamHelp)))
        return *stop;
    if (parser.positionalArguments().size() != 1)
        return reportError(io, QStringLiteral("expected exactly one image file (see --help)"), ExitUsage);
    for (const QCommandLineOption* required : {&size, &version, &out})
        if (!parser.isSet(*required))
            return reportError(io, QStringLiteral("--%1 is required (see --help)").arg(required->names().last()),
                               ExitUsage);
    if (parser.isSet(redundancy) && parser.isSet(parity))
        return reportError(io, QStringLiteral("give either --redundancy or --parity, not both"), ExitUsage);

    FragmentPlan plan;
    auto sizeValue = parseUnsigned(parser.value(size), QStringLiteral("size"), 255);
    if (!sizeValue)
        return reportError(io, sizeValue.error().message, ExitUsage);
    if (*sizeValue == 0)
        return reportError(io, QStringLiteral("--size: 0 bytes; a fragment carries 1..255 bytes"), ExitUsage);
    plan.fragmentSize = static_cast<int>(*sizeValue);
    auto v = versionOption(parser.value(version));
    if (!v)
        return reportError(io, v.error().message, ExitUsage);
    plan.version = *v;
    auto index = parseUnsigned(parser.value(fragIndex), QStringLiteral("frag-index"), 3);
    if (!index)
        return reportError(io, index.error().message, ExitUsage);
    plan.fragIndex = static_cast<std::uint8_t>(*index);

    auto image = readFile(parser.positionalArguments().first());
    if (!image)
        return reportError(io, image.error().message, ExitIo);
    auto enc = FragEncoder::create(*image, plan.fragmentSize, plan.version);
    if (!enc)
        return reportError(io, enc.error().toString(), ExitInvalid);

    if (parser.isSet(parity)) {
        auto count = parseUnsigned(parser.value(parity), QStringLiteral("parity"), enc->maxParityFrames());
        if (!count)
            return reportError(io, count.error().message + QStringLiteral(" (frame counters are 14 bits: M + parity <= 16383)"),
                               ExitUsage);
        plan.parityFrames = static_cast<std::uint32_t>(*count);
        plan.redundancyPercent = 100.0 * plan.parityFrames / enc->fragmentCount();
    } else {
        bool ok = false;
        const QString text = parser.isSet(redundancy) ? parser.value(redundancy) : QStringLiteral("10");
        plan.redundancyPercent = text.trimmed().remove(QLatin1Char('%')).toDouble(&ok);
        if (!ok || plan.redundancyPercent < 0 || plan.redundancyPercent > 1000)
            return reportError(io, QStringLiteral("--redundancy: '%1' is not a percentage 0..1000").arg(text), ExitUsage);
        plan.parityFrames = core::lorawan::redundancyFrames(enc->fragmentCount(), plan.redundancyPercent);
        if (plan.parityFrames > enc->maxParityFrames())
            return reportError(io, QStringLiteral("--redundancy %1 % means %2 parity frames; with %3 fragments at most %4 "
                                                  "fit the 14-bit frame counter")
                                       .arg(text)
                                       .arg(plan.parityFrames)
                                       .arg(enc->fragmentCount())
                                       .arg(enc->maxParityFrames()),
                               ExitUsage);
    }
    return writeStream(*enc, plan, *image, parser.value(out), io);
}

// ---- fuota decode ----

struct SessionFile {
    FragSessionShape shape;
    std::uint8_t fragIndex = 0;
    std::uint32_t imageSize = 0;
    QByteArray sha256; // raw 32 bytes
};

Result<std::uint32_t> jsonUnsigned(const QJsonObject& o, const QString& key, std::uint32_t min, std::uint32_t max,
                                   const QString& path)
{
    const QJsonValue v = o.value(key);
    const double d = v.toDouble(-1);
    if (!v.isDouble() || d != static_cast<double>(static_cast<std::int64_t>(d)) || d < min || d > max)
        return fail(Error::at(-1, key, QStringLiteral("%1: \"%2\" must be an integer %3..%4").arg(path, key).arg(min).arg(max)));
    return static_cast<std::uint32_t>(d);
}

Result<SessionFile> readSessionFile(const QString& path)
{
    auto text = readFile(path);
    if (!text)
        return fail(text.error());
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(*text, &parseError);
    if (!doc.isObject())
        return fail(Error::at(parseError.offset, QStringLiteral("json"),
                              QStringLiteral("%1 is not a JSON object (%2)").arg(path, parseError.errorString())));
    const QJsonObject o = doc.object();
    if (o.value(QStringLiteral("format")).toString() != kStreamFormat)
        return fail(QStringLiteral("%1: \"format\" must be \"%2\" (written by otalab-cli fuota fragment)").arg(path, kStreamFormat));
    SessionFile s;
    auto version = jsonUnsigned(o, QStringLiteral("version"), 1, 2, path);
    auto index = jsonUnsigned(o, QStringLiteral("fragIndex"), 0, 3, path);
    auto count = jsonUnsigned(o, QStringLiteral("fragmentCount"), 1, core::lorawan::kMaxFragmentCounter, path);
    auto size = jsonUnsigned(o, QStringLiteral("fragmentSize"), 1, 255, path);
    auto padding = jsonUnsigned(o, QStringLiteral("padding"), 0, 254, path);
    auto imageSize = jsonUnsigned(o, QStringLiteral("imageSize"), 1, 0xffffffffu, path);
    for (const auto* r : {&version, &index, &count, &size, &padding, &imageSize})
        if (!*r)
            return fail(r->error());
    s.shape = FragSessionShape{*count, *size, *padding, *version == 1 ? FecVersion::V1 : FecVersion::V2};
    s.fragIndex = static_cast<std::uint8_t>(*index);
    s.imageSize = *imageSize;
    if (s.shape.padding >= s.shape.fragmentSize || s.shape.dataSize() != s.imageSize)
        return fail(QStringLiteral("%1: fragmentCount x fragmentSize - padding = %2, but imageSize is %3")
                        .arg(path)
                        .arg(std::int64_t{s.shape.fragmentCount} * s.shape.fragmentSize - s.shape.padding)
                        .arg(s.imageSize));
    s.sha256 = QByteArray::fromHex(o.value(QStringLiteral("imageSha256")).toString().toLatin1());
    if (s.sha256.size() != 32)
        return fail(QStringLiteral("%1: \"imageSha256\" must be 64 hex digits").arg(path));
    return s;
}

// "3,7,10-20" -> {3, 7, 10..20}.
Result<std::set<std::uint32_t>> parseCounterList(const QString& text)
{
    std::set<std::uint32_t> out;
    for (const QString& part : text.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        const QStringList ends = part.trimmed().split(QLatin1Char('-'));
        bool okA = false, okB = true;
        const uint a = ends.value(0).toUInt(&okA);
        const uint b = ends.size() == 2 ? ends[1].toUInt(&okB) : a;
        if (ends.size() > 2 || !okA || !okB || a == 0 || b < a || b > core::lorawan::kMaxFragmentCounter)
            return fail(QStringLiteral("--drop: '%1' is not a frame counter (1..16383) or range a-b").arg(part));
        for (uint n = a; n <= b; ++n)
            out.insert(n);
    }
    return out;
}

struct Record {
    std::uint16_t counter;
    QByteArray payload;
};

// The records of a stream file, checked; frames of another FragIndex are an error.
Result<std::vector<Record>> readStream(const QByteArray& bin, const SessionFile& session)
{
    std::vector<Record> records;
    ByteReader r(bin, Endian::Little);
    while (!r.atEnd()) {
        const qint64 at = r.pos();
        auto length = r.u16(QStringLiteral("record length"));
        if (!length)
            return fail(length.error());
        auto body = r.bytes(*length, QStringLiteral("record %1").arg(records.size() + 1));
        if (!body)
            return fail(body.error());
        auto fragment = core::lorawan::parseDataFragment(*body, at + 2);
        if (!fragment)
            return fail(fragment.error());
        if (fragment->fragIndex != session.fragIndex)
            return fail(Error::at(at + 3, QStringLiteral("DataFragment.FragIndex"),
                                  QStringLiteral("%1, but the session is FragIndex %2").arg(fragment->fragIndex).arg(session.fragIndex)));
        records.push_back({fragment->counter, std::move(fragment->payload)});
    }
    return records;
}

int decodeCommand(const QStringList& args, CliIo& io)
{
    QCommandLineParser parser;
    const QCommandLineOption json(QStringLiteral("json"), QStringLiteral("The session description PREFIX.json (required)."),
                                  QStringLiteral("file"));
    const QCommandLineOption drop(QStringLiteral("drop"),
                                  QStringLiteral("Frame counters to lose, e.g. 3,7,10-20."), QStringLiteral("list"));
    const QCommandLineOption keep(QStringLiteral("keep-random"),
                                  QStringLiteral("Keep each frame with this probability in percent (0..100)."),
                                  QStringLiteral("percent"));
    const QCommandLineOption seed(QStringLiteral("seed"), QStringLiteral("Seed for --keep-random (default 1)."),
                                  QStringLiteral("n"), QStringLiteral("1"));
    const QCommandLineOption version(QStringLiteral("version"),
                                     QStringLiteral("Decode as this TS004 version instead of the one in the JSON "
                                                    "(shows what a mismatched decoder does)."),
                                     QStringLiteral("1|2"));
    const QCommandLineOption out(QStringList{QStringLiteral("o"), QStringLiteral("out")},
                                 QStringLiteral("Where to write the decoded image (required)."), QStringLiteral("file"));
    parser.addOptions({json, drop, keep, seed, version, out});
    parser.addPositionalArgument(QStringLiteral("stream"), QStringLiteral("PREFIX.bin from 'fuota fragment'."));
    if (auto stop = parseCommand(parser, args, io,
                                 QStringLiteral("Decode a TS004 fragment stream (any subset of its frames) back into "
                                                "the image, checked against the SHA-256 in the JSON. Exit 1 with "
                                                "\"not enough: missing N\" when the frames kept cannot rebuild it.\n\n")
                                     + QString::fromLatin1(kStreamHelp)))
        return *stop;
    if (parser.positionalArguments().size() != 1)
        return reportError(io, QStringLiteral("expected exactly one stream file (see --help)"), ExitUsage);
    for (const QCommandLineOption* required : {&json, &out})
        if (!parser.isSet(*required))
            return reportError(io, QStringLiteral("--%1 is required (see --help)").arg(required->names().last()), ExitUsage);
    if (parser.isSet(drop) && parser.isSet(keep))
        return reportError(io, QStringLiteral("give either --drop or --keep-random, not both"), ExitUsage);
    std::set<std::uint32_t> dropped;
    if (parser.isSet(drop)) {
        auto list = parseCounterList(parser.value(drop));
        if (!list)
            return reportError(io, list.error().message, ExitUsage);
        dropped = std::move(*list);
    }
    double keepPercent = 100;
    if (parser.isSet(keep)) {
        bool ok = false;
        keepPercent = parser.value(keep).toDouble(&ok);
        if (!ok || keepPercent < 0 || keepPercent > 100)
            return reportError(io, QStringLiteral("--keep-random: '%1' is not a percentage 0..100").arg(parser.value(keep)),
                               ExitUsage);
    }
    auto seedValue = parseUnsigned(parser.value(seed), QStringLiteral("seed"), ~quint64{0});
    if (!seedValue)
        return reportError(io, seedValue.error().message, ExitUsage);

    auto session = readSessionFile(parser.value(json));
    if (!session)
        return reportError(io, session.error().message, ExitInvalid);
    if (parser.isSet(version)) {
        auto v = versionOption(parser.value(version));
        if (!v)
            return reportError(io, v.error().message, ExitUsage);
        session->shape.version = *v;
    }
    const QString streamPath = parser.positionalArguments().first();
    auto bin = readFile(streamPath);
    if (!bin)
        return reportError(io, bin.error().message, ExitIo);
    auto records = readStream(*bin, *session);
    if (!records)
        return reportError(io, streamPath + QStringLiteral(": ") + records.error().toString(), ExitInvalid);

    auto decoder = FragDecoder::create(session->shape);
    if (!decoder)
        return reportError(io, decoder.error().toString(), ExitInvalid);
    std::mt19937_64 rng(*seedValue);
    std::uint32_t kept = 0;
    for (const Record& rec : *records) {
        // Draw for every frame, kept or not, so a seed always loses the same frames.
        const bool lost = parser.isSet(keep) ? (rng() % 1'000'000) >= keepPercent * 10'000 : dropped.contains(rec.counter);
        if (lost)
            continue;
        ++kept;
        const FragDecoder::Status s = decoder->add(rec.counter, rec.payload);
        if (s.state == FragDecoder::State::Rejected)
            io.err << "warning: frame " << rec.counter << " ignored: " << s.reason << "\n";
    }
    const std::size_t total = records->size();
    const std::uint32_t m = session->shape.fragmentCount;
    if (!decoder->isComplete()) {
        io.err << "not enough: missing " << decoder->missingCount() << " (received " << decoder->receivedCount() << " of "
               << m << "+" << (total - std::min<std::size_t>(total, m)) << " frames)\n";
        io.err.flush();
        return ExitInvalid;
    }
    const QByteArray image = decoder->data();
    if (QCryptographicHash::hash(image, QCryptographicHash::Sha256) != session->sha256)
        return reportError(io, QStringLiteral("decoded %1 bytes but they do not match imageSha256 in %2 (decoded as TS004 "
                                              "v%3: was the stream made with the other version?)")
                                   .arg(image.size())
                                   .arg(parser.value(json), core::lorawan::fecVersionName(session->shape.version)),
                           ExitInvalid);
    if (auto w = writeFileAtomic(parser.value(out), image); !w)
        return reportError(io, w.error().message, ExitIo);
    io.out << "decoded " << image.size() << " bytes (SHA-256 ok) from " << decoder->receivedCount() << " of " << kept
           << " frames kept (" << total << " in the stream, M = " << m << ") -> " << parser.value(out) << "\n";
    io.out.flush();
    return ExitOk;
}

} // namespace

int fuotaCommand(const QStringList& args, CliIo& io)
{
    if (args.value(0).endsWith(QStringLiteral(" decode")))
        return decodeCommand(args, io);
    return fragmentCommand(args, io);
}

} // namespace otalab::cli
