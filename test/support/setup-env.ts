// Tests log at warn unless asked otherwise, so failures stay readable.
process.env.LOG_LEVEL ??= 'warn';
