#!/usr/bin/env python3
"""Tests of tools/ha-discovery-check: captures that must pass, and one capture per rule that must fail.

Each failing capture is the passing one with one thing broken, and the test names the finding it expects, so a
capture cannot fail for another reason unnoticed. Run: python3 tools/ha_discovery_check_test.py (ctest runs it as
tools.ha_discovery_check). Standard library only.
"""
import contextlib
import copy
import importlib.machinery
import importlib.util
import io
import json
import os
import pathlib
import subprocess
import sys
import tempfile
import unittest

CHECKER = pathlib.Path(os.environ.get("HA_DISCOVERY_CHECK", pathlib.Path(__file__).resolve().parent /
                                      "ha-discovery-check"))


def load_checker():
    """The checker as a module (its file name has no .py), so that each case runs in-process."""
    loader = importlib.machinery.SourceFileLoader("ha_discovery_check", str(CHECKER))
    spec = importlib.util.spec_from_loader(loader.name, loader)
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module


checker = load_checker()
PREFIX = "homeassistant"
BASE = "tessie"
DEVICE_TOPIC = f"{PREFIX}/device/tessie_vehicle_1/config"
VEHICLE = f"{BASE}/vehicles/1"


def device_payload():
    """A device-discovery payload shaped like the ones the host publishes for a car."""
    return {
        "device": {"identifiers": ["tessie_vehicle_1"], "name": "Model 3", "manufacturer": "Tesla",
                   "model": "Model 3", "sw_version": "2026.8.3"},
        "origin": {"name": "Tessie Stats", "sw_version": "0.1.0", "support_url": "https://example.org/tessie"},
        "availability_topic": f"{BASE}/status",
        "qos": 1,
        "components": {
            "battery_level": {"platform": "sensor", "unique_id": "tessie_vehicle_1_battery_level",
                              "default_entity_id": "sensor.model_3_battery_level", "name": "Battery level",
                              "state_topic": f"{VEHICLE}/battery_level", "device_class": "battery",
                              "unit_of_measurement": "%", "state_class": "measurement"},
            "odometer": {"platform": "sensor", "unique_id": "tessie_vehicle_1_odometer", "name": "Odometer",
                         "state_topic": f"{VEHICLE}/odometer_km", "device_class": "distance",
                         "unit_of_measurement": "km", "state_class": "total_increasing",
                         "suggested_display_precision": 1},
            "charge_energy": {"platform": "sensor", "unique_id": "tessie_vehicle_1_charge_energy",
                              "name": "Charge energy added", "state_topic": f"{VEHICLE}/charge_energy_added",
                              "device_class": "energy", "unit_of_measurement": "kWh",
                              "state_class": "total_increasing"},
            "heading": {"platform": "sensor", "unique_id": "tessie_vehicle_1_heading", "name": "Heading",
                        "state_topic": f"{VEHICLE}/heading", "unit_of_measurement": "°",
                        "state_class": "measurement_angle"},
            "state": {"platform": "sensor", "unique_id": "tessie_vehicle_1_state", "name": "State",
                      "state_topic": f"{VEHICLE}/state", "device_class": "enum",
                      "options": ["online", "asleep", "offline"]},
            "last_seen": {"platform": "sensor", "unique_id": "tessie_vehicle_1_last_seen", "name": "Last seen",
                          "state_topic": f"{VEHICLE}/last_seen", "device_class": "timestamp",
                          "entity_category": "diagnostic"},
            "plugged_in": {"platform": "binary_sensor", "unique_id": "tessie_vehicle_1_plugged_in",
                           "name": "Charge cable", "state_topic": f"{VEHICLE}/plugged_in", "device_class": "plug"},
            "wake": {"platform": "button", "unique_id": "tessie_vehicle_1_wake", "name": "Wake",
                     "command_topic": f"{VEHICLE}/cmd/wake", "payload_press": "PRESS"},
            "location": {"platform": "device_tracker", "unique_id": "tessie_vehicle_1_location", "name": None,
                         "json_attributes_topic": f"{VEHICLE}/location", "source_type": "gps"},
        },
    }


def states():
    return {
        f"{BASE}/status": "online",
        f"{VEHICLE}/battery_level": "72",
        f"{VEHICLE}/odometer_km": "31250.0",
        f"{VEHICLE}/charge_energy_added": "12.345",
        f"{VEHICLE}/heading": "271",
        f"{VEHICLE}/state": "online",
        f"{VEHICLE}/last_seen": "2026-12-07T17:30:00+00:00",
        f"{VEHICLE}/plugged_in": "ON",
        f"{VEHICLE}/location": json.dumps({"latitude": 37.49, "longitude": -121.94, "gps_accuracy": 5}),
    }


def message(topic, payload, retain=True, qos=1):
    if not isinstance(payload, str):
        payload = json.dumps(payload, ensure_ascii=False)
    return {"topic": topic, "retain": 1 if retain else 0, "qos": qos, "payload": payload}


def capture(config=None, extra=(), state_overrides=None, topic=DEVICE_TOPIC):
    """The passing capture: one device config, its retained states, then `extra` messages."""
    lines = [message(topic, device_payload() if config is None else config)]
    values = states()
    values.update(state_overrides or {})
    lines += [message(t, p) for t, p in values.items() if p is not None]
    return lines + list(extra)


class CheckerTest(unittest.TestCase):
    def run_checker(self, lines, *args):
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "capture.jsonl")
            with open(path, "w", encoding="utf-8") as out:
                for line in lines:
                    out.write(line if isinstance(line, str) else json.dumps(line, ensure_ascii=False))
                    out.write("\n")
            checker.findings.clear()
            out = io.StringIO()
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
                code = checker.main(["--prefix", PREFIX, *args, path])
        return code, out.getvalue()

    def assert_passes(self, lines, *args):
        code, out = self.run_checker(lines, *args)
        self.assertEqual(code, 0, out)
        self.assertIn(" 0 errors", out)
        return out

    def assert_fails(self, lines, finding, level="E"):
        code, out = self.run_checker(lines)
        self.assertEqual(code, 1, out)
        found = [line for line in out.splitlines() if line.startswith(level + " ") and finding in line]
        self.assertTrue(found, f"expected a {level} finding containing {finding!r}:\n{out}")
        return out

    def assert_finding(self, lines, finding, level):
        """A W or B finding: reported, and the exit status stays 0 without --strict."""
        code, out = self.run_checker(lines)
        self.assertEqual(code, 0, out)
        self.assertTrue([line for line in out.splitlines() if line.startswith(level + " ") and finding in line],
                        f"expected a {level} finding containing {finding!r}:\n{out}")
        return out


class Passing(CheckerTest):
    def test_the_device_capture_has_no_finding_at_all(self):
        out = self.assert_passes(capture(), "--strict")
        self.assertIn("1 configs, 9 entities, 0 errors, 0 warnings, 0 notes", out)

    def test_single_component_discovery_with_abbreviations_and_a_base_topic(self):
        config = {"~": VEHICLE, "uniq_id": "tessie_vehicle_1_battery_level", "name": "Battery level",
                  "stat_t": "~/battery_level", "dev_cla": "battery", "unit_of_meas": "%", "stat_cla": "measurement",
                  "avty_t": f"{BASE}/status", "dev": {"ids": "tessie_vehicle_1", "name": "Model 3"},
                  "o": {"name": "Tessie Stats", "sw": "0.1.0"}, "def_ent_id": "sensor.model_3_battery_level"}
        out = self.assert_passes(capture(config, topic=f"{PREFIX}/sensor/tessie_vehicle_1_battery_level/config"),
                                 "--strict")
        self.assertIn("1 configs, 1 entities, 0 errors, 0 warnings", out)

    def test_a_migration_marker_beside_the_device_config_and_a_deletion(self):
        extra = [message(f"{PREFIX}/sensor/tessie_vehicle_1/battery_level/config", {"migr_discvry": True}),
                 message(f"{PREFIX}/sensor/tessie_vehicle_1/range/config", "", retain=False)]
        self.assert_passes(capture(extra=extra), "--strict")

    def test_a_micro_sign_unit_is_read_as_mu(self):
        config = device_payload()
        config["components"]["voltage"] = {"platform": "sensor", "unique_id": "tessie_vehicle_1_voltage",
                                           "state_topic": f"{VEHICLE}/voltage", "device_class": "voltage",
                                           "unit_of_measurement": "\u00b5V", "state_class": "measurement"}
        self.assert_passes(capture(config, state_overrides={f"{VEHICLE}/voltage": "3"}))

    def test_unknown_and_empty_states_and_a_meter_reset(self):
        extra = [message(f"{VEHICLE}/battery_level", "None", retain=False),
                 message(f"{VEHICLE}/charge_energy_added", "", retain=False),
                 message(f"{VEHICLE}/charge_energy_added", "0.5", retain=False)]  # a new session: a reset
        self.assert_passes(capture(extra=extra), "--strict")

    def test_a_command_topic_cleared_with_an_empty_retained_message(self):
        self.assert_passes(capture(extra=[message(f"{VEHICLE}/cmd/wake", "", retain=True)]))


class TopicsAndPayloads(CheckerTest):
    def test_invalid_json_payload(self):
        lines = capture(extra=[message(f"{PREFIX}/sensor/tessie_x/config", '{"name": "x",')])
        self.assert_fails(lines, "payload is not JSON")

    def test_payload_that_is_not_an_object(self):
        self.assert_fails(capture(extra=[message(f"{PREFIX}/sensor/tessie_x/config", "[1, 2]")]),
                          "payload is not a JSON object")

    def test_capture_line_that_is_not_json(self):
        self.assert_fails(capture(extra=['{"topic": "tessie/x", "payload": ']), "capture line is not JSON")

    def test_discovery_topic_with_a_bad_object_id(self):
        self.assert_fails(capture(topic=f"{PREFIX}/device/tessie.vehicle/config"), "discovery topic does not match")

    def test_unsupported_component(self):
        config = device_payload()["components"]["battery_level"]
        self.assert_fails(capture(extra=[message(f"{PREFIX}/gauge/tessie_x/config", config)]),
                          "unsupported component 'gauge'")

    def test_object_id_collision_between_single_component_and_device_discovery(self):
        config = device_payload()["components"]["battery_level"]
        config.pop("platform")
        config["unique_id"] = "tessie_vehicle_1_battery_level_old"
        lines = capture(extra=[message(f"{PREFIX}/sensor/tessie_vehicle_1/battery_level/config", config)])
        self.assert_fails(lines, "discovery ID sensor 'tessie_vehicle_1 battery_level' already claimed")

    def test_both_abbreviated_and_full_key_is_a_warning(self):
        config = device_payload()
        config["components"]["battery_level"]["stat_t"] = f"{VEHICLE}/battery_level"
        self.assert_finding(capture(config), "key 'stat_t' and 'state_topic' both present", "W")

    def test_the_abbreviated_key_wins_whatever_the_order(self):
        config = device_payload()
        battery = config["components"]["battery_level"]
        del battery["state_topic"]
        battery.update({"stat_t": f"{VEHICLE}/+battery", "state_topic": f"{VEHICLE}/battery_level"})
        self.assert_fails(capture(config), "invalid state_topic 'tessie/vehicles/1/+battery'")

    def test_a_topic_that_is_not_utf8(self):
        config = device_payload()
        config["components"]["battery_level"]["state_topic"] = "tessie/\ud800"  # a lone surrogate
        self.assert_fails(capture(json.dumps(config)), "invalid state_topic")


class DeviceDiscovery(CheckerTest):
    def test_unknown_root_key(self):
        config = device_payload()
        config["name"] = "Model 3"
        self.assert_fails(capture(config), "device discovery root has unknown keys ['name']")

    def test_base_topic_at_the_root(self):
        config = device_payload()
        config["~"] = VEHICLE
        self.assert_fails(capture(config), "'~' is not allowed at the root")

    def test_missing_origin(self):
        config = device_payload()
        del config["origin"]
        self.assert_fails(capture(config), "device discovery needs origin")

    def test_origin_name_not_a_string(self):
        config = device_payload()
        config["origin"]["name"] = 7
        self.assert_fails(capture(config), "origin needs a string name")

    def test_empty_components(self):
        config = device_payload()
        config["components"] = {}
        self.assert_fails(capture(config), "needs a non-empty components object")

    def test_missing_unique_id(self):
        config = device_payload()
        del config["components"]["odometer"]["unique_id"]
        self.assert_fails(capture(config), "needs unique_id")

    def test_a_device_trigger_needs_no_unique_id(self):
        config = device_payload()
        config["components"]["trigger"] = {"platform": "device_automation", "automation_type": "trigger",
                                           "topic": f"{VEHICLE}/trigger", "type": "action", "subtype": "wake"}
        self.assert_passes(capture(config))


class CommonEntityRules(CheckerTest):
    def single(self, **changes):
        config = device_payload()["components"]["battery_level"]
        config.pop("platform")
        config.update(device=device_payload()["device"], origin=device_payload()["origin"],
                      availability_topic=f"{BASE}/status")
        for key, value in changes.items():
            if value is None:
                config.pop(key, None)
            else:
                config[key] = value
        return capture(config, topic=f"{PREFIX}/sensor/tessie_vehicle_1_battery_level/config")

    def test_the_single_component_base_passes(self):
        self.assert_passes(self.single(), "--strict")

    def test_missing_unique_id_is_a_warning(self):
        self.assert_finding(self.single(unique_id=None), "no unique_id", "W")

    def test_duplicate_unique_id(self):
        config = device_payload()
        config["components"]["odometer"]["unique_id"] = "tessie_vehicle_1_battery_level"
        self.assert_fails(capture(config), "unique_id 'tessie_vehicle_1_battery_level' already used")

    def test_bad_availability_topic(self):
        self.assert_fails(self.single(availability_topic="tessie/+status"), "invalid availability_topic")

    def test_bad_availability_item_topic(self):
        self.assert_fails(self.single(availability_topic=None, availability=[{"topic": "tessie/#/status"}]),
                          "invalid availability topic")

    def test_both_availability_forms(self):
        self.assert_fails(self.single(availability=[{"topic": f"{BASE}/status"}]),
                          "both availability_topic and availability")

    def test_availability_item_with_an_unknown_key(self):
        self.assert_fails(self.single(availability_topic=None,
                                      availability=[{"topic": f"{BASE}/status", "retain": True}]),
                          "bad availability item")

    def test_a_tilde_in_the_middle_of_a_topic_is_not_replaced(self):
        self.assert_fails(self.single(**{"~": VEHICLE, "state_topic": "tessie/~/battery_level"}),
                          "invalid state_topic")

    def test_wildcard_in_a_command_topic(self):
        config = device_payload()
        config["components"]["wake"]["command_topic"] = f"{VEHICLE}/cmd/+"
        self.assert_fails(capture(config), "invalid command_topic")

    def test_unknown_device_key(self):
        device = dict(device_payload()["device"], ip="10.0.0.2")
        self.assert_fails(self.single(device=device), "device has unknown keys ['ip']")

    def test_device_without_identifiers(self):
        self.assert_fails(self.single(device={"name": "Model 3"}), "device needs identifiers or connections")

    def test_connections_must_be_pairs_of_strings(self):
        device = {"connections": [["mac", 2]], "name": "Model 3"}
        self.assert_fails(self.single(device=device), "device.connections must be a list of [type, id] pairs")

    def test_configuration_url_scheme(self):
        device = dict(device_payload()["device"], configuration_url="ftp://host/")
        self.assert_fails(self.single(device=device), "device.configuration_url must be")

    def test_entity_picture_scheme(self):
        self.assert_fails(self.single(entity_picture="homeassistant://x.png"), "entity_picture must be")

    def test_origin_with_an_unknown_key(self):
        self.assert_fails(self.single(origin={"name": "Tessie Stats", "version": "1"}), "origin has unknown keys")

    def test_entity_category_config_on_a_sensor(self):
        self.assert_fails(self.single(entity_category="config"), "entity_category config is refused")

    def test_icon_without_a_colon(self):
        self.assert_fails(self.single(icon="car-battery"), "icon must contain ':'")

    def test_qos_out_of_range(self):
        self.assert_fails(self.single(qos=3), "qos must be 0, 1 or 2")

    def test_enabled_by_default_not_a_bool(self):
        self.assert_fails(self.single(enabled_by_default="no"), "enabled_by_default must be true or false")

    def test_default_entity_id_of_another_domain(self):
        self.assert_fails(self.single(default_entity_id="binary_sensor.model_3_battery"),
                          "must be 'sensor.<object>'")

    def test_object_id_alone_is_a_warning(self):
        self.assert_finding(self.single(object_id="model_3_battery", default_entity_id=None),
                            "object_id without default_entity_id", "W")

    def test_entity_name_repeating_the_device_name_is_a_warning(self):
        self.assert_finding(self.single(name="Model 3 battery level"), "repeats the device name", "W")

    def test_an_unknown_key_is_a_note(self):
        self.assert_finding(self.single(precision=1), "keys sensor does not know", "B")


class SensorRules(CheckerTest):
    def with_battery(self, state=None, **changes):
        config = device_payload()
        config["components"]["battery_level"].update(changes)
        for key, value in changes.items():
            if value is None:
                del config["components"]["battery_level"][key]
        overrides = {f"{VEHICLE}/battery_level": state} if state is not None else None
        return capture(config, state_overrides=overrides)

    def test_missing_state_topic(self):
        self.assert_fails(self.with_battery(state_topic=None), "sensor needs state_topic")

    def test_unknown_device_class(self):
        self.assert_fails(self.with_battery(device_class="state_of_charge"), "unknown sensor device_class")

    def test_unknown_state_class(self):
        self.assert_fails(self.with_battery(state_class="average"), "unknown state_class")

    def test_wrong_unit_for_the_device_class(self):
        self.assert_fails(self.with_battery(unit_of_measurement="kWh"), "unit 'kWh' not valid for device_class")

    def test_device_class_with_no_unit(self):
        self.assert_fails(self.with_battery(unit_of_measurement=None), "unit None not valid for device_class")

    def test_measurement_angle_without_a_unit(self):
        config = device_payload()
        del config["components"]["heading"]["unit_of_measurement"]
        self.assert_fails(capture(config), "state_class measurement_angle needs unit °")

    def test_unit_on_a_timestamp(self):
        config = device_payload()
        config["components"]["last_seen"]["unit_of_measurement"] = "s"
        self.assert_fails(capture(config), "timestamp sensor must not have a unit")

    def test_options_without_enum(self):
        self.assert_fails(self.with_battery(options=["low", "high"]), "options needs a non-empty list")

    def test_last_reset_template_without_total(self):
        self.assert_fails(self.with_battery(last_reset_value_template="{{ value }}"),
                          "last_reset_value_template needs state_class total")

    def test_precision_must_be_a_non_negative_int(self):
        self.assert_fails(self.with_battery(suggested_display_precision=-1), "suggested_display_precision must be")

    def test_state_class_that_does_not_fit_the_device_class_is_a_warning(self):
        self.assert_finding(self.with_battery(state_class="total"), "state_class 'total' not valid", "W")

    def test_non_numeric_state(self):
        self.assert_fails(self.with_battery(state="72 %"), "numeric sensor got non-numeric state")

    def test_timestamp_without_a_timezone(self):
        lines = capture(state_overrides={f"{VEHICLE}/last_seen": "2026-12-07T17:30:00"})
        self.assert_fails(lines, "timestamp state needs ISO 8601 with timezone")

    def test_date_state_that_is_not_an_iso_date(self):
        config = device_payload()
        config["components"]["last_seen"]["device_class"] = "date"
        self.assert_passes(capture(config, state_overrides={f"{VEHICLE}/last_seen": "2026-12-07"}))
        self.assert_fails(capture(config, state_overrides={f"{VEHICLE}/last_seen": "07.12.2026"}),
                          "date state needs an ISO date")

    def test_enum_state_not_in_options(self):
        self.assert_fails(capture(state_overrides={f"{VEHICLE}/state": "driving"}), "enum state 'driving'")

    def test_state_longer_than_255_characters(self):
        self.assert_fails(capture(state_overrides={f"{VEHICLE}/state": "x" * 256}), "state longer than 255")

    def test_negative_energy(self):
        lines = capture(state_overrides={f"{VEHICLE}/charge_energy_added": "-0.5"})
        self.assert_fails(lines, "energy state is negative")

    def test_a_small_dip_of_a_total_increasing_counter_is_a_warning(self):
        extra = [message(f"{VEHICLE}/odometer_km", "31249.9", retain=False)]
        self.assert_finding(capture(extra=extra), "total_increasing dipped from 31250 to 31249.9", "W")


class OtherPlatforms(CheckerTest):
    def test_binary_sensor_state_that_is_neither_on_nor_off(self):
        self.assert_fails(capture(state_overrides={f"{VEHICLE}/plugged_in": "true"}),
                          "binary_sensor state 'true' is neither")

    def test_binary_sensor_unknown_device_class(self):
        config = device_payload()
        config["components"]["plugged_in"]["device_class"] = "cable"
        self.assert_fails(capture(config), "unknown binary_sensor device_class")

    def test_button_without_a_command_topic(self):
        config = device_payload()
        del config["components"]["wake"]["command_topic"]
        self.assert_fails(capture(config), "button needs command_topic")

    def test_button_device_class(self):
        config = device_payload()
        config["components"]["wake"]["device_class"] = "wake"
        self.assert_fails(capture(config), "button device_class must be")

    def test_retained_command(self):
        self.assert_fails(capture(extra=[message(f"{VEHICLE}/cmd/wake", "PRESS", retain=True)]),
                          "retained message on a command topic")

    def test_tracker_with_string_coordinates(self):
        location = json.dumps({"latitude": "37.49", "longitude": "-121.94"})
        self.assert_fails(capture(state_overrides={f"{VEHICLE}/location": location}),
                          "tracker attributes need numeric latitude/longitude")

    def test_tracker_attributes_that_are_not_an_object(self):
        self.assert_fails(capture(state_overrides={f"{VEHICLE}/location": "[37.49, -121.94]"}),
                          "are not a JSON object")

    def test_tracker_source_type(self):
        config = device_payload()
        config["components"]["location"]["source_type"] = "satellite"
        self.assert_fails(capture(config), "bad source_type")

    def test_number_rules(self):
        config = device_payload()
        config["components"]["charge_limit"] = {"platform": "number", "unique_id": "tessie_vehicle_1_charge_limit",
                                                "command_topic": f"{VEHICLE}/cmd/charge_limit",
                                                "state_topic": f"{VEHICLE}/charge_limit", "min": 50, "max": 100,
                                                "mode": "slider"}
        self.assert_passes(capture(config, state_overrides={f"{VEHICLE}/charge_limit": "80"}))
        self.assert_fails(capture(config, state_overrides={f"{VEHICLE}/charge_limit": "120"}),
                          "number state 120 outside [50, 100]")
        broken = copy.deepcopy(config)
        broken["components"]["charge_limit"]["mode"] = "dial"
        self.assert_fails(capture(broken, state_overrides={f"{VEHICLE}/charge_limit": "80"}),
                          "number mode must be")
        broken["components"]["charge_limit"].update(mode="box", min=101)
        self.assert_fails(capture(broken, state_overrides={f"{VEHICLE}/charge_limit": "80"}), "number min > max")

    def test_select_state_not_in_options(self):
        config = device_payload()
        config["components"]["mode"] = {"platform": "select", "unique_id": "tessie_vehicle_1_mode",
                                        "command_topic": f"{VEHICLE}/cmd/mode", "state_topic": f"{VEHICLE}/mode",
                                        "options": ["eco", "normal"]}
        self.assert_fails(capture(config, state_overrides={f"{VEHICLE}/mode": "sport"}), "select state 'sport'")


class NotesAndUsage(CheckerTest):
    def test_missing_retained_states_and_availability_are_notes(self):
        lines = capture(state_overrides={f"{BASE}/status": None, f"{VEHICLE}/heading": None})
        out = self.assert_finding(lines, "no retained availability message", "B")
        self.assertIn(f"B {VEHICLE}/heading: no retained state", out)

    def test_config_not_retained_is_a_note(self):
        lines = capture()
        lines[0]["retain"] = 0
        self.assert_finding(lines, "config not retained", "B")

    def test_strict_fails_on_a_warning(self):
        config = device_payload()
        config["components"]["battery_level"]["state_class"] = "total"
        code, out = self.run_checker(capture(config), "--strict")
        self.assertEqual(code, 1, out)

    def test_an_empty_capture_fails(self):
        code, out = self.run_checker([])
        self.assertEqual(code, 1, out)
        self.assertIn("no entities found", out)

    def test_usage_error(self):
        done = subprocess.run([sys.executable, str(CHECKER)], capture_output=True, text=True, timeout=60)
        self.assertEqual(done.returncode, 2)
        self.assertIn("Usage:", done.stderr)


if __name__ == "__main__":
    unittest.main()
