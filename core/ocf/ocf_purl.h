// SPDX-License-Identifier: Apache-2.0
// The software update "purl" (package URL) as this device accepts it: coap://host[:port]/path[?q]
// (RFC 7252 §6.1 coap-URI; host a name, an IPv4 address or an IPv6 literal in brackets;
// port 5683 when absent). Any other well-formed scheme is "unsupported protocol"
// (swupdateresult 7); text that is not a URL is "invalid URL" (6).
#pragma once

#include "core/common/error.h"

#include <QString>
#include <QStringList>
#include <QStringView>

#include <cstdint>

namespace otalab::core::ocf {

struct PackageUrl {
    QString scheme;            // lower case: "coap"
    QString host;              // without brackets: "fd00::1", "192.0.2.1", "fw.example"
    std::uint16_t port = 5683;
    QString path;              // without the leading '/': "fw/2.0.0.bin"
    QStringList queries;       // "k=v" items after '?', split on '&'
    QString toString() const;  // back to a URL (IPv6 hosts bracketed)
};

// A syntactically valid URL (scheme "://" authority path); Error with the character offset.
Result<PackageUrl> parsePackageUrl(QStringView url);
// Only coap:// is fetched (block-wise GET, RFC 7959).
inline bool isSupportedPackageScheme(const PackageUrl& url) { return url.scheme == QLatin1String("coap"); }

// Dotted software versions ("1.2.3", "2.0.0+7"): numeric fields compared left to right,
// missing fields are 0; a non-numeric field compares as text. -1, 0 or 1.
int compareSoftwareVersions(QStringView a, QStringView b);

} // namespace otalab::core::ocf
