"""edXML (QCVN 102:2016) packages for inter-agency exchange: the codec and the mapping of our dossiers."""
