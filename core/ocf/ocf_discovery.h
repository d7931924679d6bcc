// SPDX-License-Identifier: Apache-2.0
// OCF discovery (/oic/res, oic.if.ll): the answer is a CBOR array of links, one per
// resource (IoTivity-Lite api/oc_discovery.c, process_resource / oc_core_discovery_handler):
//   [{"anchor": "ocf://<di>", "href": "/oc/swu", "rt": ["oic.r.softwareupdate"],
//     "if": ["oic.if.rw", "oic.if.baseline"], "p": {"bm": 3}}, ...]
// bm bits: 1 discoverable, 2 observable. A query "rt=X" keeps only links whose rt holds X.
#pragma once

#include "core/common/error.h"

#include <QByteArray>
#include <QCborArray>
#include <QCborValue>
#include <QString>
#include <QStringList>

#include <vector>

namespace otalab::core::ocf {

struct OcfLink {
    QString anchor;            // "ocf://<device uuid>"
    QString href;              // "/oc/swu"
    QStringList resourceTypes; // "rt"
    QStringList interfaces;    // "if"
    int bitmap = 1;            // "p"."bm": 1 discoverable | 2 observable
    QString deviceId() const;  // the uuid in the anchor, or empty
    friend bool operator==(const OcfLink&, const OcfLink&) = default;
};

QCborArray toCbor(const std::vector<OcfLink>& links);
// A discovery answer → links; errors name the link index and the property.
Result<std::vector<OcfLink>> linksFromCbor(const QCborValue& value);
// The links matching every "rt=" query (other queries ignored).
std::vector<OcfLink> filterLinks(const std::vector<OcfLink>& links, const QStringList& uriQueries);

} // namespace otalab::core::ocf
