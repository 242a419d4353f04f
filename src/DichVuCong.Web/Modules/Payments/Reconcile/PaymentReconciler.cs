using DichVuCong.Web.Common.Persistence;
using DichVuCong.Web.Common.Time;
using DichVuCong.Web.Modules.Payments.ConfirmPayment;
using DichVuCong.Web.Modules.Payments.StartPayment;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace DichVuCong.Web.Modules.Payments.Reconcile;

/// <summary>What one pass did.</summary>
internal sealed record ReconcilePass(int Checked, int Settled, int Expired);

/// <summary>
/// An IPN can be lost (the portal down, the network cut). Each pass asks the gateway (QueryDR) about the payments still
/// pending <see cref="PaymentOptions.ReconcileAfter"/> after they started, settles them exactly as the IPN would (through
/// <see cref="PaymentConfirmation"/>), and expires those past their time that the gateway says were not paid.
/// </summary>
internal sealed class PaymentReconciler(IServiceScopeFactory scopes, IOptions<PaymentOptions> options, TimeProvider time, ILogger<PaymentReconciler> logger)
    : PeriodicJob(time, logger)
{
    private const int BatchSize = 100;

    protected override TimeSpan Interval => options.Value.ReconcileInterval;

    public async Task<ReconcilePass> RunOnceAsync(CancellationToken cancellationToken)
    {
        if (!options.Value.Enabled)
        {
            return new ReconcilePass(0, 0, 0);
        }

        var now = Time.GetUtcNow().UtcDateTime;
        var startedBefore = now - options.Value.ReconcileAfter;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var gateway = scope.ServiceProvider.GetRequiredService<IPaymentGateway>();
        var confirmation = ActivatorUtilities.CreateInstance<PaymentConfirmation>(scope.ServiceProvider, Time);
        // Oldest check first, so a gateway that keeps failing for one payment does not starve the others.
        var due = await db.Payments.AsNoTracking()
            .Where(p => p.State == PaymentState.Pending && p.Channel == PaymentChannel.Online && p.CreatedAt < startedBefore)
            .OrderBy(p => p.LastCheckedAt ?? p.CreatedAt).Take(BatchSize)
            .Join(db.Dossiers, p => p.DossierId, d => d.Id, (p, d) => new { p.Id, p.TxnRef, p.CreatedAt, p.ExpiresAt, d.Code })
            .ToListAsync(cancellationToken);
        int settled = 0, expired = 0;
        foreach (var payment in due)
        {
            var answer = await gateway.QueryAsync(payment.TxnRef, payment.CreatedAt, PaymentStarter.OrderInfo(payment.Code), cancellationToken);
            db.ChangeTracker.Clear();
            if (answer.SignatureValid && answer.Outcome is GatewayOutcome.Paid or GatewayOutcome.Failed or GatewayOutcome.Cancelled)
            {
                settled += await confirmation.ApplyAsync(answer, cancellationToken) == ConfirmationOutcome.Applied ? 1 : 0;
                continue;
            }

            var expire = answer.SignatureValid && answer.Outcome == GatewayOutcome.NotPaid && payment.ExpiresAt < now;
            // Conditional, so an IPN that settled it meanwhile wins.
            var pending = db.Payments.Where(p => p.Id == payment.Id && p.State == PaymentState.Pending);
            expired += expire
                ? await pending.ExecuteUpdateAsync(s => s.SetProperty(p => p.State, PaymentState.Expired).SetProperty(p => p.LastCheckedAt, now), cancellationToken)
                : 0;
            if (!expire)
            {
                await pending.ExecuteUpdateAsync(s => s.SetProperty(p => p.LastCheckedAt, now), cancellationToken);
            }
        }

        return new ReconcilePass(due.Count, settled, expired);
    }

    protected override async Task<string?> RunPassAsync(CancellationToken cancellationToken) =>
        await RunOnceAsync(cancellationToken) is { Checked: > 0 } pass
            ? $"asked the gateway about {pass.Checked} pending payments: {pass.Settled} settled, {pass.Expired} expired." : null;
}
