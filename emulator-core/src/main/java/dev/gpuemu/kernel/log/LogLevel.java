package dev.gpuemu.kernel.log;

/// Kernel log levels (`KERN_ERR` ... `KERN_DEBUG`), most severe first.
public enum LogLevel {
    ERR, WARNING, NOTICE, INFO, DEBUG
}
