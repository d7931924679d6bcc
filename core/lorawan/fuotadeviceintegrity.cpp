// SPDX-License-Identifier: Apache-2.0
#include "core/lorawan/fuotadeviceintegrity.h"

namespace otalab::core::lorawan {

using fragmentation::Version;

DataBlockSession fuotaIntegritySession(const fragmentation::FragSessionSetupReq& req, Version version)
{
    if (version == Version::V2)
        return DataBlockSession{req.sessionCnt, req.fragIndex, req.descriptor};
    return DataBlockSession{0, req.fragIndex, 0};
}

DataBlockMic fuotaExpectedMic(const fragmentation::FragSessionSetupReq& req, Version version)
{
    if (version == Version::V2)
        return req.mic;
    DataBlockMic mic{};
    for (int i = 0; i < 4; ++i)
        mic[size_t(i)] = std::uint8_t(req.descriptor >> (8 * i));
    return mic;
}

std::uint32_t fuotaV1MicDescriptor(const AesKey& rootKey, std::uint8_t fragIndex, QByteArrayView dataBlock)
{
    const DataBlockMic mic = serverDataBlockMic(rootKey, DataBlockSession{0, fragIndex, 0}, dataBlock);
    std::uint32_t d = 0;
    for (int i = 0; i < 4; ++i)
        d |= std::uint32_t(mic[size_t(i)]) << (8 * i);
    return d;
}

namespace {

bool isV1DataBlockExchange(std::uint8_t port, QByteArrayView payload, Version version)
{
    return version == Version::V1 && port == fragmentation::kPort && payload.size() == 2 && std::uint8_t(payload[0]) == 0x04;
}

bool isDataBlockExchange(const PackageCommand& c)
{
    return commandAs<fragmentation::FragDataBlockReceivedReq>(c) || commandAs<fragmentation::FragDataBlockReceivedAns>(c);
}

} // namespace

Result<std::vector<PackageCommand>> parseFuotaPayload(std::uint8_t port, Direction direction, QByteArrayView payload,
                                                      Version version)
{
    if (isV1DataBlockExchange(port, payload, version))
        return parsePackageCommands(port, direction, payload, Version::V2);
    return parsePackageCommands(port, direction, payload, version);
}

Result<QByteArray> encodeFuotaPayload(std::uint8_t port, const std::vector<PackageCommand>& commands, Version version)
{
    QByteArray out;
    for (const PackageCommand& c : commands) {
        if (portOf(c) != port)
            return fail(Error::at(-1, commandName(c), QStringLiteral("belongs to port %1, not %2").arg(portOf(c)).arg(port)));
        const bool v1Exchange = version == Version::V1 && isDataBlockExchange(c);
        if (v1Exchange && commands.size() != 1)
            return fail(Error::at(-1, commandName(c), QStringLiteral("must be alone in its frame on a v1 session")));
        auto bytes = encodePackageCommand(c, v1Exchange ? Version::V2 : version);
        if (!bytes)
            return fail(bytes.error());
        out += *bytes;
    }
    return out;
}

QString fuotaCommandOfError(std::uint8_t port, const Error& error)
{
    const qsizetype dot = error.field.indexOf(QLatin1Char('.'));
    if (dot > 0)
        return error.field.first(dot);
    switch (port) {
    case 200: return QStringLiteral("multicast setup payload");
    case 201: return QStringLiteral("fragmentation payload");
    case 202: return QStringLiteral("clock sync payload");
    default: return QStringLiteral("payload");
    }
}

} // namespace otalab::core::lorawan
