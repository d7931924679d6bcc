// SPDX-License-Identifier: Apache-2.0
#include "core/lorawan/fragsessioncommands.h"

#include "core/lorawan/command_reader.h"

namespace otalab::core::lorawan::fragmentation {
namespace {

using detail::CommandReader;
using detail::putLe;
using detail::rangeError;

using detail::Overloaded;

std::optional<Error> checkIndex(const QString& name, std::uint8_t fragIndex)
{
    if (fragIndex > 3)
        return rangeError(name + QStringLiteral(".FragIndex"), 2, fragIndex);
    return std::nullopt;
}

Error v2Only(const QString& what)
{
    return Error::at(-1, what, QStringLiteral("exists only in TS004 v2, this session is v1"));
}

} // namespace

Direction directionOf(const Command& c)
{
    return std::visit(Overloaded{
                          [](const PackageVersionAns&) { return Direction::Uplink; },
                          [](const FragSessionStatusAns&) { return Direction::Uplink; },
                          [](const FragSessionSetupAns&) { return Direction::Uplink; },
                          [](const FragSessionDeleteAns&) { return Direction::Uplink; },
                          [](const FragDataBlockReceivedReq&) { return Direction::Uplink; },
                          [](const auto&) { return Direction::Downlink; },
                      },
                      c);
}

QString commandName(const Command& c)
{
    static const char* const names[] = {"PackageVersionReq",    "PackageVersionAns",       "FragSessionStatusReq",
                                        "FragSessionStatusAns", "FragSessionSetupReq",     "FragSessionSetupAns",
                                        "FragSessionDeleteReq", "FragSessionDeleteAns",    "FragDataBlockReceivedReq",
                                        "FragDataBlockReceivedAns", "DataFragment"};
    static_assert(std::size(names) == std::variant_size_v<Command>);
    return QString::fromLatin1(names[c.index()]);
}

Result<QByteArray> encodeCommand(const Command& command, Version version)
{
    QByteArray out;
    std::optional<Error> error;
    const QString name = commandName(command);
    const bool v2 = version == Version::V2;
    std::visit(Overloaded{
                   [&](const PackageVersionReq&) { out.append(char(0x00)); },
                   [&](const PackageVersionAns& c) {
                       out.append(char(0x00));
                       out.append(char(c.packageIdentifier));
                       out.append(char(c.packageVersion));
                   },
                   [&](const FragSessionStatusReq& c) {
                       if ((error = checkIndex(name, c.fragIndex)))
                           return;
                       out.append(char(0x01));
                       out.append(char(c.fragIndex << 1 | (c.allParticipants ? 1 : 0)));
                   },
                   [&](const FragSessionStatusAns& c) {
                       if ((error = checkIndex(name, c.fragIndex)))
                           return;
                       if (c.nbFragReceived > 0x3fff)
                           return void(error = rangeError(name + QStringLiteral(".NbFragReceived"), 14, c.nbFragReceived));
                       if (!v2 && (c.micError || c.sessionDoesNotExist))
                           return void(error = v2Only(name + (c.micError ? QStringLiteral(".MicError") : QStringLiteral(".SessionDoesNotExist"))));
                       const std::uint8_t status = (c.notEnoughMatrixMemory ? 0x01 : 0) | (c.micError ? 0x02 : 0)
                                                   | (c.sessionDoesNotExist ? 0x04 : 0);
                       out.append(char(0x01));
                       if (v2)
                           out.append(char(status));
                       putLe(out, std::uint32_t(c.nbFragReceived | c.fragIndex << 14), 2);
                       out.append(char(c.missingFrag));
                       if (!v2)
                           out.append(char(status));
                   },
                   [&](const FragSessionSetupReq& c) {
                       if ((error = checkIndex(name, c.fragIndex)))
                           return;
                       if (c.mcGroupBitMask > 0x0f)
                           return void(error = rangeError(name + QStringLiteral(".McGroupBitMask"), 4, c.mcGroupBitMask));
                       if (c.fragAlgo > 7)
                           return void(error = rangeError(name + QStringLiteral(".FragAlgo"), 3, c.fragAlgo));
                       if (c.blockAckDelay > 7)
                           return void(error = rangeError(name + QStringLiteral(".BlockAckDelay"), 3, c.blockAckDelay));
                       if (!v2 && (c.ackReception || c.sessionCnt != 0 || c.mic != std::array<std::uint8_t, 4>{}))
                           return void(error = v2Only(name + (c.ackReception ? QStringLiteral(".AckReception")
                                                              : c.sessionCnt ? QStringLiteral(".SessionCnt")
                                                                             : QStringLiteral(".MIC"))));
                       out.append(char(0x02));
                       out.append(char(c.fragIndex << 4 | c.mcGroupBitMask));
                       putLe(out, c.nbFrag, 2);
                       out.append(char(c.fragSize));
                       out.append(char((c.ackReception ? 0x40 : 0) | c.fragAlgo << 3 | c.blockAckDelay));
                       out.append(char(c.padding));
                       putLe(out, c.descriptor, 4);
                       if (v2) {
                           putLe(out, c.sessionCnt, 2);
                           out.append(reinterpret_cast<const char*>(c.mic.data()), 4);
                       }
                   },
                   [&](const FragSessionSetupAns& c) {
                       if ((error = checkIndex(name, c.fragIndex)))
                           return;
                       if (!v2 && c.sessionCntReplay)
                           return void(error = v2Only(name + QStringLiteral(".SessionCntReplay")));
                       out.append(char(0x02));
                       out.append(char(c.fragIndex << 6 | (c.sessionCntReplay ? 0x10 : 0) | (c.wrongDescriptor ? 0x08 : 0)
                                       | (c.fragIndexUnsupported ? 0x04 : 0) | (c.notEnoughMemory ? 0x02 : 0)
                                       | (c.encodingUnsupported ? 0x01 : 0)));
                   },
                   [&](const FragSessionDeleteReq& c) {
                       if ((error = checkIndex(name, c.fragIndex)))
                           return;
                       out.append(char(0x03));
                       out.append(char(c.fragIndex));
                   },
                   [&](const FragSessionDeleteAns& c) {
                       if ((error = checkIndex(name, c.fragIndex)))
                           return;
                       out.append(char(0x03));
                       out.append(char(c.fragIndex | (c.sessionDoesNotExist ? 0x04 : 0)));
                   },
                   [&](const FragDataBlockReceivedReq& c) {
                       if (!v2)
                           return void(error = v2Only(name));
                       if ((error = checkIndex(name, c.fragIndex)))
                           return;
                       out.append(char(0x04));
                       out.append(char(c.fragIndex | (c.micError ? 0x04 : 0)));
                   },
                   [&](const FragDataBlockReceivedAns& c) {
                       if (!v2)
                           return void(error = v2Only(name));
                       if ((error = checkIndex(name, c.fragIndex)))
                           return;
                       out.append(char(0x04));
                       out.append(char(c.fragIndex));
                   },
                   [&](const DataFragment& c) {
                       auto bytes = encodeDataFragment(c);
                       if (!bytes)
                           return void(error = bytes.error());
                       out += *bytes;
                   },
               },
               command);
    if (error)
        return fail(*error);
    return out;
}

Result<QByteArray> encodeCommands(const std::vector<Command>& commands, Version version)
{
    QByteArray out;
    for (size_t i = 0; i < commands.size(); ++i) {
        if (std::holds_alternative<DataFragment>(commands[i]) && i + 1 != commands.size())
            return fail(Error::at(-1, QStringLiteral("DataFragment"),
                                  QStringLiteral("must be the last command of a payload (it has no length field)")));
        auto bytes = encodeCommand(commands[i], version);
        if (!bytes)
            return fail(bytes.error());
        out += *bytes;
    }
    return out;
}

Result<std::vector<Command>> parseCommands(Direction direction, QByteArrayView payload, Version version)
{
    std::vector<Command> commands;
    CommandReader r(payload);
    const bool up = direction == Direction::Uplink;
    const bool v2 = version == Version::V2;
    while (!r.atEnd()) {
        const qsizetype at = r.pos();
        const std::uint8_t cid = r.u8(QStringLiteral("CID"));
        if (!up && cid == 0x00) {
            commands.push_back(PackageVersionReq{});
        } else if (up && cid == 0x00) {
            PackageVersionAns c;
            c.packageIdentifier = r.u8(QStringLiteral("PackageVersionAns.PackageIdentifier"));
            c.packageVersion = r.u8(QStringLiteral("PackageVersionAns.PackageVersion"));
            commands.push_back(c);
        } else if (!up && cid == 0x01) {
            const std::uint8_t p = r.u8(QStringLiteral("FragSessionStatusReq.FragStatusReqParam"));
            commands.push_back(FragSessionStatusReq{std::uint8_t((p >> 1) & 0x03), bool(p & 0x01)});
        } else if (up && cid == 0x01) {
            FragSessionStatusAns c;
            std::uint8_t status = 0;
            if (v2)
                status = r.u8(QStringLiteral("FragSessionStatusAns.Status"));
            if (v2 && (status & 0x04) && r.remaining() < 3) {
                c.sessionDoesNotExist = true;  // LBM's short form: the Status byte alone
            } else {
                const std::uint16_t ri = r.u16(QStringLiteral("FragSessionStatusAns.ReceivedAndIndex"));
                c.nbFragReceived = ri & 0x3fff;
                c.fragIndex = std::uint8_t(ri >> 14);
                c.missingFrag = r.u8(QStringLiteral("FragSessionStatusAns.MissingFrag"));
                if (!v2)
                    status = r.u8(QStringLiteral("FragSessionStatusAns.Status")) & 0x01;
            }
            c.notEnoughMatrixMemory = status & 0x01;
            c.micError = status & 0x02;
            c.sessionDoesNotExist = status & 0x04;
            commands.push_back(c);
        } else if (!up && cid == 0x02) {
            FragSessionSetupReq c;
            const std::uint8_t session = r.u8(QStringLiteral("FragSessionSetupReq.FragSession"));
            c.fragIndex = (session >> 4) & 0x03;
            c.mcGroupBitMask = session & 0x0f;
            c.nbFrag = r.u16(QStringLiteral("FragSessionSetupReq.NbFrag"));
            c.fragSize = r.u8(QStringLiteral("FragSessionSetupReq.FragSize"));
            const std::uint8_t control = r.u8(QStringLiteral("FragSessionSetupReq.Control"));
            c.blockAckDelay = control & 0x07;
            c.fragAlgo = (control >> 3) & 0x07;
            c.ackReception = v2 && (control & 0x40);
            c.padding = r.u8(QStringLiteral("FragSessionSetupReq.Padding"));
            c.descriptor = r.u32(QStringLiteral("FragSessionSetupReq.Descriptor"));
            if (v2) {
                c.sessionCnt = r.u16(QStringLiteral("FragSessionSetupReq.SessionCnt"));
                for (auto& b : c.mic)
                    b = r.u8(QStringLiteral("FragSessionSetupReq.MIC"));
            }
            commands.push_back(c);
        } else if (up && cid == 0x02) {
            const std::uint8_t b = r.u8(QStringLiteral("FragSessionSetupAns.StatusBitMask"));
            FragSessionSetupAns c;
            c.fragIndex = b >> 6;
            c.encodingUnsupported = b & 0x01;
            c.notEnoughMemory = b & 0x02;
            c.fragIndexUnsupported = b & 0x04;
            c.wrongDescriptor = b & 0x08;
            c.sessionCntReplay = v2 && (b & 0x10);
            commands.push_back(c);
        } else if (!up && cid == 0x03) {
            commands.push_back(FragSessionDeleteReq{std::uint8_t(r.u8(QStringLiteral("FragSessionDeleteReq.Param")) & 0x03)});
        } else if (up && cid == 0x03) {
            const std::uint8_t b = r.u8(QStringLiteral("FragSessionDeleteAns.Status"));
            commands.push_back(FragSessionDeleteAns{std::uint8_t(b & 0x03), bool(b & 0x04)});
        } else if (v2 && up && cid == 0x04) {
            const std::uint8_t b = r.u8(QStringLiteral("FragDataBlockReceivedReq.Param"));
            commands.push_back(FragDataBlockReceivedReq{std::uint8_t(b & 0x03), bool(b & 0x04)});
        } else if (v2 && !up && cid == 0x04) {
            commands.push_back(FragDataBlockReceivedAns{std::uint8_t(r.u8(QStringLiteral("FragDataBlockReceivedAns.Param")) & 0x03)});
        } else if (!up && cid == 0x08) {
            // No length field: a DataFragment takes the rest of the payload.
            auto fragment = parseDataFragment(payload.sliced(at), at);
            if (fragment)
                commands.push_back(std::move(*fragment));
            else
                r.setError(fragment.error());
            r.rest();
        } else {
            r.setError(Error::at(at, QStringLiteral("CID"),
                                 QStringLiteral("0x%1 is not a fragmentation v%2 %3 command (port 201)%4")
                                     .arg(cid, 2, 16, QLatin1Char('0'))
                                     .arg(int(version))
                                     .arg(directionName(direction))
                                     .arg(cid == 0x04 && !v2 ? QStringLiteral("; 0x04 exists only in v2") : QString())));
        }
        if (r.failed())
            return fail(r.error());
    }
    return commands;
}

AesKey dataBlockIntKey(const AesKey& appKey)
{
    AesBlock b{};
    b[0] = 0x30;
    return aes128Encrypt(appKey, b);
}

std::array<std::uint8_t, 4> dataBlockMic(const AesKey& intKey, std::uint16_t sessionCnt, std::uint8_t fragIndex,
                                         std::uint32_t descriptor, QByteArrayView dataBlock)
{
    QByteArray input(16, '\0');
    input[0] = char(0x49);
    input[1] = char(sessionCnt & 0xff);
    input[2] = char(sessionCnt >> 8);
    input[3] = char(fragIndex);
    for (int i = 0; i < 4; ++i) {
        input[4 + i] = char(std::uint8_t(descriptor >> (8 * i)));
        input[12 + i] = char(std::uint8_t(std::uint32_t(dataBlock.size()) >> (8 * i)));
    }
    input.append(dataBlock.data(), dataBlock.size());
    const AesBlock cmac = aesCmac(intKey, input);
    return {cmac[0], cmac[1], cmac[2], cmac[3]};
}

} // namespace otalab::core::lorawan::fragmentation
