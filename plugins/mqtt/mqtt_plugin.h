// SPDX-License-Identifier: Apache-2.0
// The MQTT link plugin's root object: makes libmosquitto-backed MqttLinks.
#pragma once

#include "core/transport/mqtt_link.h"

namespace otalab::plugins::mqtt {

class MqttLinkFactory final : public QObject, public core::transport::MqttLinkFactory {
    Q_OBJECT
    Q_PLUGIN_METADATA(IID OTALAB_MQTT_LINK_IID FILE "mqtt.json")
    Q_INTERFACES(otalab::core::transport::MqttLinkFactory)
public:
    // Checks what can be checked before connecting (TLS files readable); the link is
    // Disconnected until connectToBroker().
    Result<core::transport::MqttLink*> create(const core::transport::MqttLinkOptions& options, QObject* parent) override;
};

} // namespace otalab::plugins::mqtt
