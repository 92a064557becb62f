"""In-memory stores; production swapped these for the SQL ones in shop_db (not included)."""
import copy
import threading

from .models import InventoryRecord, OutOfStockError, ShopError


class NotFound(ShopError):
    pass


class OrderRepository:
    """Orders by id; ``get`` returns a copy so callers cannot change stored state by accident."""

    def __init__(self):
        self._orders = {}
        self._lock = threading.Lock()

    def save(self, order):
        with self._lock:
            self._orders[order.id] = copy.deepcopy(order)
        return order

    def get(self, order_id):
        try:
            return copy.deepcopy(self._orders[order_id])
        except KeyError:
            raise NotFound(f"order {order_id} not found") from None

    def all(self):
        return [copy.deepcopy(o) for o in self._orders.values()]

    def __len__(self):
        return len(self._orders)


class InventoryStore:
    def __init__(self, stock=None):
        self._records = {sku: InventoryRecord(sku, on_hand) for sku, on_hand in (stock or {}).items()}
        self._lock = threading.Lock()

    def record(self, sku):
        try:
            return self._records[sku]
        except KeyError:
            raise OutOfStockError(sku, 1, 0) from None

    def reserve_all(self, wanted):
        """Reserve every (sku, quantity) or nothing."""
        with self._lock:
            done = []
            try:
                for sku, quantity in wanted:
                    self.record(sku).reserve(quantity)
                    done.append((sku, quantity))
            except OutOfStockError:
                for sku, quantity in done:
                    self._records[sku].release(quantity)
                raise

    def release_all(self, wanted):
        with self._lock:
            for sku, quantity in wanted:
                self.record(sku).release(quantity)

    def commit_all(self, wanted):
        with self._lock:
            for sku, quantity in wanted:
                self.record(sku).commit(quantity)
