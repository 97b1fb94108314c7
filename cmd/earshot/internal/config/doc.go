// Package config owns earshot's configuration file: the typed Config with its built-in
// defaults, loading YAML with ${VAR} expansion from the environment, strict decoding (an
// unknown key or a value of the wrong type is an error naming its path, like
// "surveys[0].delay"), validation that reports every problem at once, and the conversion
// to core.Settings. Durations accept Go syntax plus days ("7d", "1d12h").
//
// Semantics worth knowing:
//   - A key that is absent keeps its default. An explicit null (`quiet_hours:` with
//     nothing after it, or `~`) sets a value or a list to its zero value; a null section
//     (`telegram:`) is like an absent one and keeps its defaults.
//   - A list in the file replaces the default list entirely (surveys, team members).
//   - ${VAR} is expanded in values only, never in keys, after the YAML is parsed, so a
//     secret containing quotes, colons or '#' cannot change the file's structure. An unset
//     variable expands to "". No other form ($VAR, ${VAR:-x}) is expanded.
//   - A platform is enabled exactly when its token is non-empty (telegram.token,
//     slack.bot_token, discord.token).
//   - An empty api_url means the platform's public API; an empty telegram.mode means
//     polling; empty log settings mean text and info.
package config
