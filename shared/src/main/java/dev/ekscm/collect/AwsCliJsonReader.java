package dev.ekscm.collect;

import java.nio.file.Path;

/**
 * Reads a folder of AWS CLI JSON outputs, one file per call, recognised by top-level key.
 */
public final class AwsCliJsonReader {
    public AwsFiles read(Path folder) {
        throw new UnsupportedOperationException("AWS CLI JSON reading is not implemented yet");
    }
}
