//! Placeholder until the skeleton lands.
