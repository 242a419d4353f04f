namespace DichVuCong.Web.Common.Time;

/// <summary>
/// A background job that runs one pass at start and then every <see cref="Interval"/> until the portal stops. A pass
/// that fails is logged and tried again at the next interval; the interval is waited on the injected clock, so tests
/// can move time.
/// </summary>
internal abstract partial class PeriodicJob(TimeProvider time, ILogger logger) : BackgroundService
{
    /// <summary>The clock the job and its passes read.</summary>
    protected TimeProvider Time { get; } = time;

    protected abstract TimeSpan Interval { get; }

    /// <summary>How long after start the first pass runs (or after <see cref="Interval"/>, if shorter).</summary>
    public static readonly TimeSpan FirstPassDelay = TimeSpan.FromSeconds(20);

    /// <summary>Runs one pass; returns what it did, for the log, or null when there was nothing to do.</summary>
    protected abstract Task<string?> RunPassAsync(CancellationToken cancellationToken);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // The first pass waits a little: at start the portal serves its first pages before housekeeping
        // (each job's first pass builds the data model and queries) competes with it for the CPU.
        await Task.Delay(FirstPassDelay < Interval ? FirstPassDelay : Interval, Time, stoppingToken);
        var job = GetType().Name;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (await RunPassAsync(stoppingToken) is { } done)
                {
                    LogPass(logger, job, done);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogPassFailed(logger, job, ex);
            }

            await Task.Delay(Interval, Time, stoppingToken);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Job}: {Done}")]
    private static partial void LogPass(ILogger logger, string job, string done);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Job} pass failed; retrying at the next interval.")]
    private static partial void LogPassFailed(ILogger logger, string job, Exception exception);
}
