using System.Text.Json;
using LynqDashboard.Core.Promotion;
using LynqDashboard.Core.Registry;
using LynqDashboard.Core.Runs;
using LynqDashboard.Core.Serialization;
using LynqDashboard.Core.Storage;

namespace LynqDashboard.Web.Tests.Shared;

/// <summary>Promotion records and the audit log in lists, for component tests.</summary>
public sealed class FakePromotions : IPromotionRegistry, IAuditLog
{
    public List<PromotionRecord> Records { get; } = [];

    public List<AuditEvent> Audit { get; } = [];

    public Task<PromotionRecord> AddPromotionAsync(PromotionRecord promotion, CancellationToken cancellationToken = default)
    {
        Records.Add(promotion);
        return Task.FromResult(promotion);
    }

    public Task<PromotionRecord?> GetPromotionAsync(Guid id, CancellationToken cancellationToken = default) => Task.FromResult(Records.FirstOrDefault(p => p.Id == id));

    public Task<IReadOnlyList<PromotionRecord>> ListPromotionsAsync(string? bucket = null, Guid? versionId = null, int take = 100, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<PromotionRecord>>([.. Records.Where(p => (bucket is null || p.Bucket == bucket) && (versionId is null || p.VersionId == versionId)).OrderByDescending(p => p.CreatedAt).Take(take)]);

    public Task<IReadOnlyList<PromotionRecord>> ListActivePromotionsAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<PromotionRecord>>([.. Records.Where(p => p.Status.IsActive()).OrderBy(p => p.CreatedAt)]);

    public Task<PromotionRecord?> UpdatePromotionAsync(Guid id, Action<PromotionRecord> change, CancellationToken cancellationToken = default)
    {
        var record = Records.FirstOrDefault(p => p.Id == id);
        if (record is not null)
        {
            change(record);
        }

        return Task.FromResult(record);
    }

    public Task<PromotionRecord> CompletePromotionAsync(Guid promotionId, Action<PromotionRecord> finish, AuditEvent audit, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("Component tests do not run promotions.");

    public Task<int> MarkPromotionsInterruptedAsync(string message, CancellationToken cancellationToken = default) => Task.FromResult(0);

    public Task AppendAsync(AuditEvent entry, CancellationToken cancellationToken = default)
    {
        entry.Id = Audit.Count + 1;
        Audit.Add(entry);
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<AuditEvent>> ListAsync(int skip = 0, int take = 100, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<AuditEvent>>([.. Enumerable.Reverse(Audit).Skip(skip).Take(take)]);
}

/// <summary>A bucket in a dictionary, for component tests (the real store is tested against a real S3 server).</summary>
public sealed class FakeModelStores : IObjectStoreFactory
{
    public Dictionary<string, byte[]> Objects { get; } = [];

    /// <summary>When set, every call fails with this.</summary>
    public ObjectStoreException? Failure { get; set; }

    public IObjectStore Open(string bucket) => new Store(this, bucket);

    public void PutJson<T>(string key, T value) => Objects[key] = JsonSerializer.SerializeToUtf8Bytes(value, LynqJson.Options);

    private sealed class Store(FakeModelStores owner, string bucket) : IObjectStore
    {
        public string Bucket => bucket;

        public string Endpoint => "fake";

        public Task EnsureBucketReachableAsync(CancellationToken cancellationToken) => Check(Task.CompletedTask);

        public Task ProbeWriteAsync(string key, CancellationToken cancellationToken) => Check(Task.CompletedTask);

        public Task<StoredObject?> FindAsync(string key, CancellationToken cancellationToken) =>
            Check(Task.FromResult(owner.Objects.TryGetValue(key, out var b) ? new StoredObject(key, b.Length, null) : null));

        public Task UploadFileAsync(string key, string path, string sha256, IProgress<long>? bytesSent, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<ObjectDigest> DigestAsync(string key, IProgress<long>? bytesRead, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<ObjectDigest> DownloadFileAsync(string key, string path, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<byte[]?> ReadAsync(string key, CancellationToken cancellationToken) => Check(Task.FromResult(owner.Objects.GetValueOrDefault(key)));

        public Task WriteAsync(string key, ReadOnlyMemory<byte> content, string contentType, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task DeleteAsync(string key, CancellationToken cancellationToken) => throw new NotSupportedException();

        private Task<T> Check<T>(Task<T> result) => owner.Failure is { } failure ? Task.FromException<T>(failure) : result;

        private Task Check(Task result) => owner.Failure is { } failure ? Task.FromException(failure) : result;
    }
}
