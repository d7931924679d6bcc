// SPDX-License-Identifier: Apache-2.0
// libFuzzer target: the OCF software update payload codecs. The bytes go through
// decodeCborPayload and, when they are one CBOR item, through swUpdateFromCbor,
// swUpdateRequestFromCbor, pstatFromCbor, pstatTmFromCbor and linksFromCbor; as text
// through UpdateTime::parse and parsePackageUrl. Properties: nothing crashes; what decodes
// re-encodes and decodes to the same value (resource, request, pstat, updatetime).
#include "core/ocf/ocf_discovery.h"
#include "core/ocf/ocf_purl.h"
#include "core/ocf/swupdate_resource.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>

using namespace otalab::core::ocf;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const QByteArray bytes(reinterpret_cast<const char*>(data), qsizetype(size));
    const QString text = QString::fromUtf8(bytes);
    if (auto time = UpdateTime::parse(text)) {
        const auto again = UpdateTime::parse(time->toString());
        if (!again || again->atMsUtc != time->atMsUtc || again->kind != time->kind)
            std::abort();
    }
    if (auto url = parsePackageUrl(text))
        (void)parsePackageUrl(url->toString());
    (void)compareSoftwareVersions(text, QStringLiteral("1.2.3"));

    auto value = decodeCborPayload(bytes);
    if (!value)
        return 0;
    if (auto r = swUpdateFromCbor(*value)) {
        auto back = swUpdateFromCbor(QCborValue(toCbor(*r)));
        if (!back || back->state != r->state || back->result != r->result || back->purl != r->purl)
            std::abort();
    }
    if (auto r = swUpdateRequestFromCbor(*value)) {
        auto back = swUpdateRequestFromCbor(QCborValue(toCbor(*r)));
        if (!back || back->purl != r->purl || back->action != r->action)
            std::abort();
    }
    if (auto p = pstatFromCbor(*value)) {
        auto back = pstatFromCbor(QCborValue(toCbor(*p)));
        if (!back || !(*back == *p))
            std::abort();
    }
    (void)pstatTmFromCbor(*value);
    if (auto links = linksFromCbor(*value))
        (void)filterLinks(*links, {QStringLiteral("rt=oic.r.softwareupdate")});
    return 0;
}
