mod daily;
mod fhir;
mod scoring;
