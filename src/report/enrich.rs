//! `sbomrisk enrich`: the SBOM written back as CycloneDX with what attribution found.
